// api CPU per request, the figure that depends least on how loaded the machine is: starts the
// production build as ROLE=api on a database and Redis prefix of its own, sends N requests of one
// operation at a fixed concurrency after a warm-up, and divides the api's CPU time (utime+stime
// from /proc) by N. With --base <dir> (another checkout, built), it starts that api too and
// alternates rounds between the two, so both see the same load: the comparison to trust on a
// shared machine. With --profile, also writes a CPU profile and prints its summary.
//
//   npx tsc -p tsconfig.build.json
//   node bench/cpu.mjs --only q2,q3,reserve --requests 2000 [--rounds 3] [--base /path/to/main] [--profile]
import http from 'node:http';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { toGlobalId } from './lib/global-id.mjs';
import { ensureDataSet, HOT_SELLER, productOf, READ_SELLER, sellerId, SELLERS, withDb } from './lib/data.mjs';
import { procStats } from './lib/proc.mjs';
import { monotonicMicros, summarizeByCaller, summarizeInclusive, summarizeProfile } from './lib/profile.mjs';
import { REPO_DIR, startApi, startWorker, WORK_DIR } from './lib/servers.mjs';
import { tokenFor } from './lib/tokens.mjs';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'q1,q2,q3,reserve' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    'reserve-connections': { type: 'string', default: '200' },
    base: { type: 'string' },
    // NODE_OPTIONS of this api only (e.g. a V8 heap setting to compare against the base)
    'node-options': { type: 'string' },
    profile: { type: 'boolean', default: false },
    // also run this checkout's worker (the relay and the jobs the events start) and report its CPU per request
    worker: { type: 'boolean', default: false },
    top: { type: 'string', default: '60' },
    port: { type: 'string', default: '4700' },
    database: { type: 'string', default: 'amused_perf' },
  },
});

const FIELDS = 'sku name price quantity category';
const secret = 'amused-cpu-bench-secret-0123456789abcdef';
const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${args.database}`;
const optionsFor = (port) => ({ jwtSecret: secret, databaseUrl, redisUrl: 'redis://127.0.0.1:6379', redisPrefix: `amused-cpu-${port}` });

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [args.database]);
  if (rows.length === 0) await admin.query(`CREATE DATABASE ${args.database}`);
  await admin.end();
}

async function clearRedis(prefix) {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
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

/** Sends `count` requests over `connections` keep-alive connections; returns failures. */
async function drive(api, connections, count, request) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let next = 0;
  let failures = 0;
  let firstFailure;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { headers, body, check } = request(i);
      const res = await post(agent, `${api.url}/graphql`, headers, body);
      const problem = res.status === 200 ? check(JSON.parse(res.text).data) : `HTTP ${res.status}`;
      if (problem) {
        failures++;
        firstFailure ??= `${problem}: ${res.text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { failures, firstFailure };
}

async function scenarios(tokens) {
  const json = { 'content-type': 'application/json' };
  const as = (seller) => ({ ...json, authorization: `Bearer ${tokens[seller]}` });
  const readProduct = await productOf(databaseUrl, READ_SELLER, 7);
  const input = { name: 'Bench mug', price: '12.50', category: 'Kitchen', quantity: 10 };
  const q3 = 'mutation Q3($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }';
  const reserve = 'mutation Reserve($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } userErrors { code } } }';
  const hot = await withDb(databaseUrl, async (db) => {
    await db.query('INSERT INTO sellers (id, event_sequence) VALUES ($1, 0) ON CONFLICT (id) DO NOTHING', [HOT_SELLER]);
    const { rows } = await db.query(
      "INSERT INTO products (seller_id, name, price, category, quantity, low_stock_threshold) VALUES ($1, 'Hot product', 9.99, 'Hot', 100000000, 0) RETURNING id",
      [HOT_SELLER],
    );
    await db.query("INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note) VALUES ($1, $2, 100000000, 'RECEIVED', 100000000, 'initial stock')", [
      HOT_SELLER,
      rows[0].id,
    ]);
    return rows[0].id;
  });
  const q1Body = JSON.stringify({ query: `query Q1 { products(first: 50) { nodes { id ${FIELDS} } } }` });
  const q2Body = JSON.stringify({ query: `query Q2($id: ID!) { product(id: $id) { id ${FIELDS} } }`, variables: { id: toGlobalId('Product', readProduct) } });
  const reserveBody = JSON.stringify({ query: reserve, variables: { input: { items: [{ productId: toGlobalId('Product', hot), quantity: 1 }], ttlSeconds: 86_400 } } });
  return {
    q1: { connections: Number(args.connections), request: () => ({ headers: as(READ_SELLER), body: q1Body, check: (d) => (d?.products?.nodes?.length === 50 ? null : 'not 50') }) },
    q2: { connections: Number(args.connections), request: () => ({ headers: as(READ_SELLER), body: q2Body, check: (d) => (d?.product ? null : 'no product') }) },
    q3: {
      connections: Number(args.connections),
      request: (i) => ({
        headers: as(sellerId(1 + (i % SELLERS))),
        body: JSON.stringify({ query: q3, variables: { input } }),
        check: (d) => (d?.createProduct?.product && d.createProduct.userErrors.length === 0 ? null : 'not created'),
      }),
    },
    reserve: {
      connections: Number(args['reserve-connections']),
      request: () => ({ headers: as(HOT_SELLER), body: reserveBody, check: (d) => (d?.reserveStock?.reservation ? null : 'not reserved') }),
    },
  };
}

/** One measured round: µs of api CPU per request (user, system) and req/s. */
async function measure(api, s, worker) {
  await drive(api, s.connections, Number(args.warmup), s.request);
  const workerBefore = worker && procStats(worker.pid);
  const before = procStats(api.pid);
  const from = monotonicMicros();
  const started = performance.now();
  const { failures, firstFailure } = await drive(api, s.connections, Number(args.requests), s.request);
  const seconds = (performance.now() - started) / 1000;
  const after = procStats(api.pid);
  const n = Number(args.requests);
  const us = (x) => Math.round((x / n) * 1e6);
  // what the worker spends on the events the requests wrote: until it is quiet again
  let workerCpu;
  if (worker) {
    let last = procStats(worker.pid);
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = procStats(worker.pid);
      const busy = now.cpuSeconds - last.cpuSeconds;
      last = now;
      if (busy < 0.02) break;
    }
    workerCpu = us(last.cpuSeconds - workerBefore.cpuSeconds);
  }
  return {
    window: { from, to: monotonicMicros() },
    cpu: us(after.cpuSeconds - before.cpuSeconds),
    user: us(after.userSeconds - before.userSeconds),
    system: us(after.systemSeconds - before.systemSeconds),
    reqPerSecond: Math.round(n / seconds),
    workerCpu,
    failures,
    firstFailure,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  await ensureDatabase();
  const profDir = join(WORK_DIR, 'cpu-prof');
  rmSync(profDir, { recursive: true, force: true });
  if (args.profile) mkdirSync(profDir, { recursive: true });
  const targets = [{ name: 'this', cwd: REPO_DIR, port: Number(args.port) }];
  if (args.base) targets.push({ name: 'base', cwd: args.base, port: Number(args.port) + 1 });
  const apis = [];
  try {
    for (const t of targets) {
      await clearRedis(optionsFor(t.port).redisPrefix);
      // the api migrates on start; the data set needs the tables
      apis.push({ ...t, api: await startApi(optionsFor(t.port), { port: t.port, cwd: t.cwd, name: `cpu-${t.name}`, cpuProfDir: args.profile && t.name === 'this' ? profDir : undefined, env: t.name === 'this' && args['node-options'] ? { NODE_OPTIONS: args['node-options'] } : {} }) });
    }
    await ensureDataSet(databaseUrl, 20_000);
    // one worker only: two relays would share the one advisory lock and the events
    const worker = args.worker ? await startWorker(optionsFor(Number(args.port)), { name: 'cpu-worker', cpuProfDir: args.profile ? join(profDir, 'worker') : undefined }) : undefined;
    if (worker) apis[0].worker = worker;
    const tokens = {};
    for (let i = 1; i <= SELLERS; i++) tokens[sellerId(i)] = await tokenFor(secret, sellerId(i));
    tokens[HOT_SELLER] = await tokenFor(secret, HOT_SELLER);
    const all = await scenarios(tokens);
    const windows = [];
    for (const name of args.only.split(',')) {
      const s = all[name];
      if (!s) throw new Error(`unknown scenario ${name}`);
      const results = new Map(apis.map((a) => [a.name, []]));
      for (let round = 0; round < Number(args.rounds); round++) {
        // alternate who goes first
        const order = round % 2 === 0 ? apis : [...apis].reverse();
        for (const a of order) {
          const r = await measure(a.api, s, a.worker);
          if (a.name === 'this') windows.push({ name, ...r.window });
          results.get(a.name).push(r);
          if (r.failures) console.log(`${a.name} ${name}: ${r.failures} failures, first: ${r.firstFailure}`);
        }
      }
      const line = { scenario: name };
      for (const [who, rs] of results) {
        line[who] = { cpuMicrosPerRequest: median(rs.map((r) => r.cpu)), user: median(rs.map((r) => r.user)), system: median(rs.map((r) => r.system)), rounds: rs.map((r) => r.cpu), reqPerSecond: median(rs.map((r) => r.reqPerSecond)), ...(rs[0].workerCpu !== undefined ? { workerCpuMicrosPerRequest: median(rs.map((r) => r.workerCpu)) } : {}) };
      }
      if (line.base) line.thisOverBase = Math.round((line.this.cpuMicrosPerRequest / line.base.cpuMicrosPerRequest) * 100) / 100;
      console.log(JSON.stringify(line));
    }
    for (const a of apis) await a.api.stop();
    await worker?.stop();
    if (args.profile) {
      const file = join(profDir, readdirSync(profDir).find((f) => f.endsWith('.cpuprofile')));
      if (args.worker) console.log(`worker profile (whole run): node bench/lib/profile.mjs ${join(profDir, 'worker', readdirSync(join(profDir, 'worker'))[0] ?? '')}`);
      for (const name of new Set(windows.map((w) => w.name))) {
        const ws = windows.filter((w) => w.name === name);
        const s = summarizeProfile(file, 30, ws);
        console.log(`\n== ${name}: busy ${s.busyMs} ms, idle ${s.idleMs} ms (${file})`);
        for (const p of s.packages) console.log(`${String(p.percent).padStart(5)}%  ${p.name}`);
        console.log('-- packages, node core and native time charged to their caller');
        for (const p of summarizeByCaller(file, 30, ws)) console.log(`${String(p.percent).padStart(5)}%  ${p.name}`);
        console.log('-- functions (self)');
        for (const f of s.functions) console.log(`${String(f.percent).padStart(5)}%  ${f.name}`);
        console.log('-- functions (total)');
        for (const f of summarizeInclusive(file, Number(args.top), ws)) console.log(`${String(f.percent).padStart(5)}%  ${f.name}`);
      }
    }
  } finally {
    for (const a of apis) if (!a.api.dead) await a.api.stop();
    for (const a of apis) if (a.worker && !a.worker.dead) await a.worker.stop();
    for (const t of targets) await clearRedis(optionsFor(t.port).redisPrefix);
  }
}

await main();
