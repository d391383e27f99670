// api CPU per fan-out delivery, this checkout against another, under the same load at the same
// time: both apis (ROLE=api) share one database, Redis prefix and relay (this checkout's worker),
// so every event reaches N subscribers of each at once. Mutations alternate between the two.
// CPU is utime+stime from /proc over the rounds' windows, divided by the deliveries made.
//
//   npx tsc -p tsconfig.build.json
//   node bench/fanout-cpu.mjs --base /work/main --subscribers 2000 --events 100 [--rounds 3]
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { clearRedis, ensureDataSet, FANOUT_SELLER, productOf, withDb } from './lib/data.mjs';
import { toGlobalId } from './lib/global-id.mjs';
import { procStats, round, sleep } from './lib/proc.mjs';
import { BENCH_DIR, REPO_DIR, startApi, startWorker, WORK_DIR } from './lib/servers.mjs';
import { monotonicMicros, summarizeProfile } from './lib/profile.mjs';
import { tokenFor } from './lib/tokens.mjs';
import { askChild } from './lib/ask-child.mjs';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    subscribers: { type: 'string', default: '2000' },
    events: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    port: { type: 'string', default: '4720' },
    database: { type: 'string', default: 'amused_fanout_cpu' },
    // a CPU profile of this checkout's api, summarized at the end
    profile: { type: 'boolean', default: false },
  },
});
const subscribers = Number(args.subscribers);
const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${args.database}`;
const options = { jwtSecret: 'amused-fanout-cpu-secret-0123456789abcdef', databaseUrl, redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'amused-fanout-cpu' };
const QUERY = 'subscription { productEvents { sequence timestamp } }';
const UPDATE = 'mutation Fan($id: ID!, $name: String!) { updateProduct(id: $id, input: { name: $name }) { product { version } } }';

const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [args.database])).rowCount === 0) await admin.query(`CREATE DATABASE ${args.database}`);
await admin.end();
await clearRedis(options.redisUrl, options.redisPrefix);

const profileDir = join(WORK_DIR, 'profiles', `fanout-cpu-${Date.now()}`);
if (args.profile) mkdirSync(profileDir, { recursive: true });
const procs = [];
const clients = [];
/** The measured rounds, in the profiler's clock: the profile summary covers only them. */
const windows = [];
const stop = async () => {
  for (const c of clients) c.send({ type: 'close' });
  for (const p of procs.splice(0).reverse()) await p.stop(5000).catch(() => undefined);
};
try {
  const targets = [{ name: 'this', cwd: REPO_DIR, port: Number(args.port) }];
  if (args.base) targets.push({ name: 'base', cwd: args.base, port: Number(args.port) + 1 });
  for (const t of targets) {
    const cpuProfDir = args.profile && t.name === 'this' ? profileDir : undefined;
    t.api = await startApi(options, { port: t.port, cwd: t.cwd, name: `cpu-${t.name}`, cpuProfDir });
    procs.push(t.api);
    if (t.name === 'this') await ensureDataSet(databaseUrl, 2000);
  }
  procs.push(await startWorker(options, { name: 'cpu-worker' }));
  const token = await tokenFor(options.jwtSecret, FANOUT_SELLER);
  const productId = toGlobalId('Product', await productOf(databaseUrl, FANOUT_SELLER, 0));

  const ask = askChild;
  for (const t of targets) {
    t.clients = [];
    for (let left = subscribers; left > 0; left -= 5000) {
      const child = fork(join(BENCH_DIR, 'fanout-client.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      clients.push(child);
      t.clients.push({ child, count: Math.min(5000, left) });
    }
    const wsUrl = `${t.api.url.replace('http', 'ws')}/graphql`;
    await Promise.all(t.clients.map(({ child, count }) => ask(child, { type: 'connect', url: wsUrl, token, query: QUERY, count, concurrency: 50 }, 'connected')));
  }
  const minLast = async () => Math.min(...(await Promise.all(targets.flatMap((t) => t.clients.map(({ child }) => ask(child, { type: 'status' }, 'status'))))).map((s) => s.minLast));
  const head = () => withDb(databaseUrl, async (db) => (await db.query('SELECT event_sequence FROM sellers WHERE id = $1', [FANOUT_SELLER])).rows[0]?.event_sequence ?? 0);
  let k = 0;
  const failures = [];
  const emit = async (count) => {
    const start = performance.now();
    const pending = [];
    for (let i = 0; i < count; i++) {
      const wait = start + (i * 1000) / Number(args.rate) - performance.now();
      if (wait > 0) await sleep(wait);
      const t = targets[k++ % targets.length];
      pending.push(
        fetch(`${t.api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: UPDATE, variables: { id: productId, name: `cpu ${k}` } }),
        })
          .then((r) => r.json())
          .then((j) => {
            if (j.errors) failures.push(j.errors[0]?.message);
          }),
      );
    }
    await Promise.all(pending);
  };
  const drain = async () => {
    const last = await head();
    const deadline = Date.now() + 60_000;
    while ((await minLast()) < last && Date.now() < deadline) await sleep(200);
  };
  await emit(20);
  await drain();

  const totals = Object.fromEntries(targets.map((t) => [t.name, { cpu: 0, user: 0, system: 0, deliveries: 0 }]));
  for (let r = 0; r < Number(args.rounds); r++) {
    const before = targets.map((t) => procStats(t.api.pid));
    const windowFrom = monotonicMicros();
    const from = await head();
    await emit(Number(args.events));
    await drain();
    const events = (await head()) - from;
    const after = targets.map((t) => procStats(t.api.pid));
    windows.push({ from: windowFrom, to: monotonicMicros() });
    const line = targets.map((t, i) => {
      const cpu = after[i].cpuSeconds - before[i].cpuSeconds;
      totals[t.name].cpu += cpu;
      totals[t.name].user += after[i].userSeconds - before[i].userSeconds;
      totals[t.name].system += after[i].systemSeconds - before[i].systemSeconds;
      totals[t.name].deliveries += events * subscribers;
      return `${t.name} ${round((cpu * 1e6) / (events * subscribers), 1)} µs`;
    });
    console.log(`round ${r + 1}: ${events} events x ${subscribers} subscribers per api: ${line.join(', ')} per delivery`);
  }
  if (failures.length) console.log(`${failures.length} mutations failed, e.g. ${failures[0]}`);
  for (const [name, t] of Object.entries(totals)) console.log(`${name}: ${round((t.cpu * 1e6) / t.deliveries, 1)} µs api CPU per delivery (utime+stime, includes its share of the mutations): user ${round((t.user * 1e6) / t.deliveries, 1)}, system ${round((t.system * 1e6) / t.deliveries, 1)}`);
} finally {
  await stop();
  const file = args.profile ? readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  // only the measured rounds, not the connecting and warm-up
  if (file) console.log(JSON.stringify(summarizeProfile(join(profileDir, file), 40, windows.length ? windows : null), null, 1).slice(0, 9000));
  await clearRedis(options.redisUrl, options.redisPrefix).catch(() => undefined);
  await sleep(500);
  process.exit(0);
}
