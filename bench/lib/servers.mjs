// Starts and stops the processes under test: our api and worker (production build), the peer
// (PostGraphile) and the ceiling (node:http + pg). Each logs to .work/logs/<name>.log.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { sleep } from './proc.mjs';

export const BENCH_DIR = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const REPO_DIR = join(BENCH_DIR, '..');
export const WORK_DIR = join(BENCH_DIR, '.work');

/** The relay's advisory lock key (src/modules/events/live/outbox-relay.ts): held while it leads. */
const RELAY_LOCK_KEY = 7_301_001;

/**
 * Settings of our processes during the benchmark: production mode, and the per-seller limits
 * raised so that they never refuse the load (BENCHMARKS.md says so).
 */
/** Not a secret: the bench's api listens on loopback only. */
export const BENCH_METRICS_TOKEN = 'amused-bench-metrics-token-0123456789';

export function ourEnv(options) {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: options.jwtSecret,
    // production refuses to start without it (webhook secrets are encrypted at rest)
    WEBHOOK_SECRET_KEY: Buffer.from('amused-benchmark-webhook-key-32b').toString('base64'),
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    LOG_LEVEL: 'warn',
    // production serves /metrics only to a bearer of this token; the contention scenario reads it
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    BLOB_DIR: join(WORK_DIR, 'blobs'),
    RATE_LIMIT_PER_SECOND: '1000000',
    COST_BUDGET_MAX: '1000000000',
    COST_RESTORE_PER_SECOND: '1000000000',
    SUBSCRIPTIONS_MAX_PER_SELLER: '1000000',
    SUBSCRIPTIONS_MAX_PER_CONNECTION: '1000',
    CONCURRENT_OPERATIONS_PER_SELLER: '100000',
    CONCURRENT_OPERATIONS_PER_ADDRESS: '100000',
    WS_CONNECTIONS_MAX_PER_SELLER: '1000000',
    WS_CONNECTIONS_MAX_PER_ADDRESS: '1000000',
    IMPORT_MAX_BYTES: String(2 * 1024 ** 3),
    BULK_JOBS_PER_MINUTE: '1000',
    // hold-batch and import-batch settings to A/B from the shell (the defaults otherwise)
    ...Object.fromEntries(['STOCK_HOLD_BATCH_MAX', 'STOCK_HOLD_BATCHES_IN_FLIGHT', 'IMPORT_BATCH_ROWS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
  };
}

function launch(name, command, args, { cwd, env }) {
  mkdirSync(join(WORK_DIR, 'logs'), { recursive: true });
  const log = createWriteStream(join(WORK_DIR, 'logs', `${name}.log`), { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let dead = false;
  exited.then(() => (dead = true));
  return {
    name,
    pid: child.pid,
    get dead() {
      return dead;
    },
    exited,
    /** SIGTERM, then SIGKILL after graceMs. */
    async stop(graceMs = 15_000) {
      if (dead) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      log.end();
      return result;
    },
  };
}

async function waitFor(what, check, proc, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.dead) throw new Error(`${what} exited during start; see bench/.work/logs/${proc.name}.log`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not become ready in ${timeoutMs / 1000} s; see bench/.work/logs/${proc.name}.log`);
    await sleep(200);
  }
}

/** Our api (ROLE=api) from dist/; resolves once /readyz answers 200. */
export async function startApi(options, { port, cpuProfDir, env = {}, cwd = REPO_DIR, name = 'api' } = {}) {
  const args = [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), 'dist/src/main.js'];
  const proc = launch(name, process.execPath, args, { cwd, env: { ...ourEnv(options), ROLE: 'api', PORT: String(port), ...env } });
  await waitFor('the api', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, proc);
  return { ...proc, url: `http://127.0.0.1:${port}` };
}

/** Our worker (ROLE=worker); resolves once its outbox relay holds the lead. */
export async function startWorker(options, { cpuProfDir, cwd = REPO_DIR, name = 'worker' } = {}) {
  // BENCH_WORKER_NODE_FLAGS: node flags for the worker only, e.g. a heap cap to A/B its memory and CPU
  const flags = (process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), ...flags, 'dist/src/main.js'];
  const proc = launch(name, process.execPath, args, { cwd, env: { ...ourEnv(options), ROLE: 'worker', PORT: '0' } });
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await waitFor(
      'the worker',
      async () => {
        const { rows } = await client.query(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          [RELAY_LOCK_KEY],
        );
        return rows[0].n > 0;
      },
      proc,
    );
  } finally {
    await client.end();
  }
  return proc;
}

/** PostGraphile 5 on the same database (bench/peer). */
export async function startPeer(options, { port }) {
  const proc = launch('peer', process.execPath, ['--require', './polyfill.cjs', 'server.mjs'], {
    cwd: join(BENCH_DIR, 'peer'),
    env: { NODE_ENV: 'production', DATABASE_URL: options.databaseUrl, PORT: String(port), DATABASE_POOL_SIZE: '10' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the peer (PostGraphile)',
    async () => {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
      return res.status === 200;
    },
    proc,
  );
  return { ...proc, url };
}

/** The ceiling: node:http + pg running the same SQL (bench/ceiling.mjs). */
export async function startCeiling(options, { port }) {
  const proc = launch('ceiling', process.execPath, ['ceiling.mjs'], {
    cwd: BENCH_DIR,
    env: { NODE_ENV: 'production', DATABASE_URL: options.databaseUrl, PORT: String(port), DATABASE_POOL_SIZE: '10' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the ceiling server', async () => (await fetch(`${url}/healthz`)).status === 200, proc);
  return { ...proc, url };
}
