// q1, q2, q3: the same operation against our api, the peer (PostGraphile) and the ceiling
// (node:http + pg), runs alternating between them, so each run's ratios share its conditions.
import { READ_SELLER, sellerId } from '../data.mjs';
import { checkTarget, measureHttp } from '../http-load.mjs';
import { round, sampleProcess, waitUntilQuiet } from '../proc.mjs';
import { toGlobalId } from '../global-id.mjs';

const FIELDS = 'sku name price quantity category';

/** The three targets of one query scenario. */
function targets(name, ctx, q3Sellers) {
  const json = { 'content-type': 'application/json' };
  const ours = (query, variables, validate) => ({
    url: `${ctx.api.url}/graphql`,
    headers: { ...json, authorization: `Bearer ${ctx.tokens[READ_SELLER]}` },
    body: JSON.stringify({ query, variables }),
    validate,
  });
  // q3 writes: connection i creates products of seller i mod q3Sellers (each seller's events are
  // serialized by its event sequence, so one seller alone measures that lock, not the server)
  const writer = (i) => sellerId(1 + (i % q3Sellers));
  const peer = (query, variables, validate) => ({ url: `${ctx.peer.url}/graphql`, headers: json, body: JSON.stringify({ query, variables }), validate });
  const ceiling = (variables, validate) => ({ url: `${ctx.ceiling.url}/${name}`, headers: json, body: JSON.stringify({ variables }), validate });
  const fifty = (nodes) => (nodes?.length === 50 ? null : `expected 50 nodes, got ${nodes?.length}`);
  const found = (p) => (p ? null : 'no product');
  const input = { name: 'Bench mug', price: '12.50', category: 'Kitchen', quantity: 10 };
  switch (name) {
    case 'q1':
      return {
        ours: ours(`query Q1 { products(first: 50) { nodes { id ${FIELDS} } } }`, {}, (d) => fifty(d.products?.nodes)),
        peer: peer(
          `query Q1($sellerId: String!) { allProducts(condition: { sellerId: $sellerId }, first: 50, orderBy: [CREATED_AT_ASC, PRIMARY_KEY_ASC]) { nodes { rowId ${FIELDS} } } }`,
          { sellerId: READ_SELLER },
          (d) => fifty(d.allProducts?.nodes),
        ),
        ceiling: ceiling({ sellerId: READ_SELLER }, (d) => fifty(d.products?.nodes)),
      };
    case 'q2':
      return {
        ours: ours(`query Q2($id: ID!) { product(id: $id) { id ${FIELDS} } }`, { id: toGlobalId('Product', ctx.ids.readProduct) }, (d) => found(d.product)),
        peer: peer(`query Q2($id: Int!) { productByRowId(rowId: $id) { rowId ${FIELDS} } }`, { id: ctx.ids.readProduct }, (d) => found(d.productByRowId)),
        ceiling: ceiling({ sellerId: READ_SELLER, id: ctx.ids.readProduct }, (d) => found(d.product)),
      };
    case 'q3': {
      const oursQuery = 'mutation Q3($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }';
      const peerQuery = 'mutation Q3($product: ProductInput!) { createProduct(input: { product: $product }) { product { rowId } } }';
      const t = {
        ours: ours(oursQuery, { input }, (d) => (d.createProduct?.product && d.createProduct.userErrors.length === 0 ? null : 'not created')),
        peer: peer(peerQuery, { product: { sellerId: writer(0), ...input } }, (d) => (d.createProduct?.product ? null : 'not created')),
        ceiling: ceiling({ sellerId: writer(0), input }, (d) => (d.createProduct?.product ? null : 'not created')),
        // the same SQL plus the commit-time NOTIFY our events trigger sent before the relay moved off it
        ceilingNotify: {
          ...ceiling({ sellerId: writer(0), input }, (d) => (d.createProduct?.product ? null : 'not created')),
          url: `${ctx.ceiling.url}/q3notify`,
        },
      };
      t.ours.headers.authorization = `Bearer ${ctx.tokens[writer(0)]}`;
      t.ours.perConnection = (i) => ({ headers: { authorization: `Bearer ${ctx.tokens[writer(i)]}` } });
      t.peer.perConnection = (i) => ({ body: JSON.stringify({ query: peerQuery, variables: { product: { sellerId: writer(i), ...input } } }) });
      t.ceiling.perConnection = (i) => ({ body: JSON.stringify({ variables: { sellerId: writer(i), input } }) });
      t.ceilingNotify.perConnection = t.ceiling.perConnection;
      return t;
    }
    default:
      throw new Error(`unknown query scenario ${name}`);
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median and best of the runs of one target. */
function summarize(runs) {
  const best = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const med = median(runs.map((r) => r.rps));
  return { rpsMedian: med, rpsBest: best.rps, p50Median: median(runs.map((r) => r.p50)), p99Median: median(runs.map((r) => r.p99)), p50Best: best.p50, p99Best: best.p99, runs };
}

/** Runs q1, q2 or q3; q3 spreads its writes over `q3Sellers` sellers (1: every write takes one seller's event lock). */
export async function runQueryScenario(name, ctx, q3Sellers = ctx.options.q3Sellers) {
  const { options, log } = ctx;
  const t = targets(name, ctx, q3Sellers);
  for (const [who, target] of Object.entries(t)) await checkTarget(target).catch((e) => Promise.reject(new Error(`${name} ${who}: ${e.message}`)));
  const order = Object.keys(t);
  const runs = Object.fromEntries(order.map((who) => [who, []]));
  const ratios = [];
  let apiLoad;
  for (let i = 0; i < options.runs; i++) {
    // rotate who goes first, so no target always runs on a warmer or cooler machine
    const turn = order.map((_, k) => order[(k + i) % order.length]);
    const got = {};
    for (const who of turn) {
      await waitUntilQuiet([ctx.api.pid, ctx.worker.pid, ctx.peer.pid, ctx.ceiling.pid], { maxPercent: 10, timeoutMs: 60_000 });
      const sampler = who === 'ours' ? sampleProcess(ctx.api.pid) : null;
      const r = await measureHttp(t[who], { connections: options.connections, duration: options.duration, warmup: options.warmup });
      if (sampler) {
        const s = sampler.stop();
        r.apiCpuPercent = s.cpuPercent;
        r.apiPeakRssMB = s.peakRssMB;
        apiLoad = !apiLoad || s.peakRssMB > apiLoad.peakRssMB ? s : apiLoad;
      }
      if (who === 'ours') ctx.windows.push({ scenario: name, process: 'api', ...r.window });
      delete r.window;
      got[who] = r;
      runs[who].push(r);
      log(`  ${name} run ${i + 1}/${options.runs} ${who.padEnd(13)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.non2xx || r.errors ? `  non2xx ${r.non2xx} errors ${r.errors}` : ''}`);
    }
    ratios.push({
      oursToPeer: round(got.ours.rps / got.peer.rps, 2),
      oursToCeiling: round(got.ours.rps / got.ceiling.rps, 2),
      ...(got.ceilingNotify ? { ceilingToCeilingNotify: round(got.ceiling.rps / got.ceilingNotify.rps, 2) } : {}),
    });
  }
  // a last check that the load did not turn into errors (autocannon counts any 200 as success)
  for (const [who, target] of Object.entries(t)) await checkTarget(target).catch((e) => Promise.reject(new Error(`${name} ${who} after the load: ${e.message}`)));
  return {
    scenario: name,
    ...(name === 'q3' ? { sellers: q3Sellers } : {}),
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    ours: summarize(runs.ours),
    peer: summarize(runs.peer),
    ceiling: summarize(runs.ceiling),
    ...(runs.ceilingNotify ? { ceilingNotify: summarize(runs.ceilingNotify) } : {}),
    ratios,
    oursToPeerMedian: median(ratios.map((r) => r.oursToPeer)),
    oursToCeilingMedian: median(ratios.map((r) => r.oursToCeiling)),
    apiUnderLoad: apiLoad,
  };
}
