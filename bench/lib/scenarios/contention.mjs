// Hot product contention: `clients` concurrent clients (one keep-alive connection each) reserve
// 1 unit of the same product until it is sold out. Then SQL proves that nothing was oversold.
import http from 'node:http';
import { HOT_SELLER, withDb } from '../data.mjs';
import { round, sampleProcess, waitUntilQuiet } from '../proc.mjs';
import { monotonicMicros } from '../profile.mjs';
import { BENCH_METRICS_TOKEN } from '../servers.mjs';
import { toGlobalId } from '../global-id.mjs';

const RESERVE = 'mutation Reserve($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } userErrors { code } } }';

async function createHotProduct(databaseUrl, stock) {
  return withDb(databaseUrl, async (db) => {
    await db.query('BEGIN');
    await db.query("INSERT INTO sellers (id, event_sequence) VALUES ($1, 0) ON CONFLICT (id) DO NOTHING", [HOT_SELLER]);
    const { rows } = await db.query(
      "INSERT INTO products (seller_id, name, price, category, quantity, low_stock_threshold) VALUES ($1, 'Hot product', 9.99, 'Hot', $2, 0) RETURNING id",
      [HOT_SELLER, stock],
    );
    await db.query("INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note) VALUES ($1, $2, $3, 'RECEIVED', $3, 'initial stock')", [
      HOT_SELLER,
      rows[0].id,
      stock,
    ]);
    await db.query('COMMIT');
    return rows[0].id;
  });
}

/** The api's stock-hold histograms (prom-client text format): bucket counts, sum and count per metric. */
async function holdHistograms(apiUrl) {
  const text = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } }).then((r) => r.text());
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^(stock_hold_\w+?)_(bucket|sum|count)(?:\{le="([^"]+)"\})? (\S+)$/.exec(line);
    if (!m) continue;
    const h = (out[m[1]] ??= { buckets: {}, sum: 0, count: 0 });
    if (m[2] === 'bucket') h.buckets[m[3]] = Number(m[4]);
    else h[m[2]] = Number(m[4]);
  }
  return out;
}

/** What a histogram gained between two scrapes: count, mean and bucket-bounded p50/p99/max. */
function histogramDelta(before, after, scale = 1) {
  if (!after) return null;
  const b = before ?? { buckets: {}, sum: 0, count: 0 };
  const count = after.count - b.count;
  if (count <= 0) return { count: 0 };
  const bounds = Object.keys(after.buckets).filter((le) => le !== '+Inf').map(Number).sort((x, y) => x - y);
  const cumulative = (le) => after.buckets[String(le)] - (b.buckets[String(le)] ?? 0);
  const quantile = (q) => {
    const le = bounds.find((x) => cumulative(x) >= q * count);
    return le === undefined ? `> ${bounds.at(-1) * scale}` : `<= ${round(le * scale, 3)}`;
  };
  return { count, mean: round(((after.sum - b.sum) / count) * scale, 2), p50: quantile(0.5), p99: quantile(0.99), max: quantile(1) };
}

/** Samples every 20 ms how many of the database's backends wait on a lock (row locks on the hot product, the seller's sequence). */
function sampleLockWaits(databaseUrl) {
  const samples = [];
  let stopped = false;
  const done = withDb(databaseUrl, async (db) => {
    while (!stopped) {
      const { rows } = await db.query(
        "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting, count(*) FILTER (WHERE state = 'active')::int AS active FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      samples.push(rows[0]);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  return async () => {
    stopped = true;
    await done;
    const waiting = samples.map((x) => x.waiting);
    return {
      samples: samples.length,
      meanBackendsWaitingOnLocks: round(waiting.reduce((a, b) => a + b, 0) / Math.max(1, samples.length), 2),
      maxBackendsWaitingOnLocks: Math.max(0, ...waiting),
      shareOfSamplesWithLockWaits: round(waiting.filter((w) => w > 0).length / Math.max(1, samples.length), 2),
      meanActiveBackends: round(samples.reduce((a, x) => a + x.active, 0) / Math.max(1, samples.length), 2),
    };
  };
}

function post(agent, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function contentionRun(ctx, run) {
  const { options } = ctx;
  const stock = options.contentionStock;
  const productId = await createHotProduct(options.databaseUrl, stock);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.contentionClients });
  const url = `${ctx.api.url}/graphql`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ctx.tokens[HOT_SELLER]}` };
  const body = JSON.stringify({ query: RESERVE, variables: { input: { items: [{ productId: toGlobalId('Product', productId), quantity: 1 }], ttlSeconds: 86_400 } } });
  const latencies = [];
  let reserved = 0;
  let soldOutAnswers = 0;
  let failures = 0;
  let firstFailure;
  let lastSuccessAt = 0;
  const deadline = performance.now() + options.contentionTimeout * 1000;
  let soldOut = false;

  const histogramsBefore = await holdHistograms(ctx.api.url);
  const stopLockSampling = sampleLockWaits(options.databaseUrl);
  const sampler = sampleProcess(ctx.api.pid);
  const start = performance.now();
  const from = monotonicMicros();
  const client = async () => {
    while (!soldOut && performance.now() < deadline) {
      const sent = performance.now();
      try {
        const res = await post(agent, url, headers, body);
        const done = performance.now();
        const json = res.status === 200 ? JSON.parse(res.text) : null;
        const payload = json?.data?.reserveStock;
        if (payload?.reservation) {
          reserved++;
          lastSuccessAt = done;
          latencies.push(done - sent);
        } else if (payload?.userErrors?.some((e) => e.code === 'INSUFFICIENT_STOCK')) {
          soldOutAnswers++;
          soldOut = true;
        } else {
          failures++;
          firstFailure ??= `${res.status} ${res.text.slice(0, 200)}`;
        }
      } catch (error) {
        failures++;
        firstFailure ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.contentionClients }, client));
  const usage = sampler.stop();
  const lockWaits = await stopLockSampling();
  const histogramsAfter = await holdHistograms(ctx.api.url);
  const batches = {
    size: histogramDelta(histogramsBefore.stock_hold_batch_size, histogramsAfter.stock_hold_batch_size),
    transactionMs: histogramDelta(histogramsBefore.stock_hold_batch_seconds, histogramsAfter.stock_hold_batch_seconds, 1000),
    queueMs: histogramDelta(histogramsBefore.stock_hold_queue_seconds, histogramsAfter.stock_hold_queue_seconds, 1000),
  };
  ctx.windows.push({ scenario: 'contention', process: 'api', from, to: monotonicMicros() });
  agent.destroy();
  const seconds = (lastSuccessAt - start) / 1000;

  const proof = await withDb(options.databaseUrl, async (db) => {
    const { rows } = await db.query(
      `SELECT p.quantity, p.reserved,
         (SELECT coalesce(sum(ri.quantity), 0)::int FROM reservation_items ri JOIN reservations r ON r.id = ri.reservation_id
           WHERE ri.product_id = p.id AND r.status = 'HELD') AS held_units,
         (SELECT count(*)::int FROM reservation_items ri WHERE ri.product_id = p.id) AS reservations
       FROM products p WHERE p.id = $1`,
      [productId],
    );
    return rows[0];
  });
  latencies.sort((a, b) => a - b);
  const q = (p) => (latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)], 1) : null);
  const result = {
    run,
    productId,
    stock,
    reserved,
    soldOut,
    seconds: round(seconds, 2),
    reservationsPerSecond: round(reserved / seconds, 0),
    p50: q(50),
    p99: q(99),
    max: round(latencies.at(-1), 1),
    failures,
    firstFailure,
    batches,
    lockWaits,
    apiCpuPercent: usage.cpuPercent,
    apiPeakRssMB: usage.peakRssMB,
    apiStartRssMB: usage.startRssMB,
    proof: {
      ...proof,
      // the database holds exactly what the clients were told they got, and never more than the stock
      zeroOversell: proof.reserved <= proof.quantity && proof.held_units === proof.reserved && proof.reservations === reserved && reserved <= stock,
    },
  };
  return result;
}

export async function runContention(ctx) {
  const runs = [];
  for (let i = 1; i <= ctx.options.contentionRuns; i++) {
    await waitUntilQuiet([ctx.api.pid, ctx.worker.pid], { maxPercent: 10, timeoutMs: 60_000 });
    const r = await contentionRun(ctx, i);
    ctx.log(
      `  contention run ${i}: ${r.reserved}/${r.stock} reserved in ${r.seconds} s = ${r.reservationsPerSecond}/s, p50 ${r.p50} ms p99 ${r.p99} ms, failures ${r.failures}, zero oversell: ${r.proof.zeroOversell}`,
    );
    const b = r.batches;
    ctx.log(
      `    hold batches: ${b.size?.count ?? 0} transactions, size mean ${b.size?.mean} (p50 ${b.size?.p50}, p99 ${b.size?.p99}, max ${b.size?.max}); ` +
        `transaction ms mean ${b.transactionMs?.mean} (p99 ${b.transactionMs?.p99}); queue wait ms mean ${b.queueMs?.mean} (p99 ${b.queueMs?.p99})`,
    );
    ctx.log(
      `    lock waits: mean ${r.lockWaits.meanBackendsWaitingOnLocks} backends waiting on a lock (max ${r.lockWaits.maxBackendsWaitingOnLocks}), ` +
        `${Math.round(r.lockWaits.shareOfSamplesWithLockWaits * 100)}% of ${r.lockWaits.samples} samples had a waiter; mean active backends ${r.lockWaits.meanActiveBackends}`,
    );
    runs.push(r);
  }
  const sorted = [...runs].sort((a, b) => a.reservationsPerSecond - b.reservationsPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const best = sorted.at(-1);
  return {
    scenario: 'contention',
    clients: ctx.options.contentionClients,
    stock: ctx.options.contentionStock,
    median: { reservationsPerSecond: median.reservationsPerSecond, p50: median.p50, p99: median.p99 },
    best: { reservationsPerSecond: best.reservationsPerSecond, p50: best.p50, p99: best.p99 },
    zeroOversell: runs.every((r) => r.proof.zeroOversell && r.soldOut),
    runs,
  };
}
