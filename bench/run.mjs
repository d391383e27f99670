#!/usr/bin/env node
// npm run bench [-- --only q1,q2,q3,fanout,contention,import,memory,bystander] [--runs 3] [--duration 10] ...
// Starts a fresh production build of our api and worker, PostGraphile (the peer) and a bare
// node:http + pg server (the ceiling) on the database amused_bench, runs the scenarios, prints
// the tables, writes bench/results/<timestamp>.json and, on a full run, BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clearRedis, ensureDataSet, FANOUT_SELLER, HOT_SELLER, productOf, READ_SELLER, SELLERS, sellerId, withDb } from './lib/data.mjs';
import { procStats, round, sleep } from './lib/proc.mjs';
import { summarizeProfile } from './lib/profile.mjs';
import { renderMachine, renderMarkdown, targets } from './lib/report.mjs';
import { runBystander } from './lib/scenarios/bystander.mjs';
import { runContention } from './lib/scenarios/contention.mjs';
import { runFanout } from './lib/scenarios/fanout.mjs';
import { runImport } from './lib/scenarios/import.mjs';
import { renderIntelligence, runIntelligence } from './lib/scenarios/intelligence.mjs';
import { runQueryScenario } from './lib/scenarios/queries.mjs';
import { measureHttp } from './lib/http-load.mjs';
import { BENCH_DIR, REPO_DIR, WORK_DIR, startApi, startCeiling, startPeer, startWorker } from './lib/servers.mjs';
import { tokenFor } from './lib/tokens.mjs';

const ALL = ['q1', 'q2', 'q3', 'fanout', 'contention', 'import', 'memory', 'bystander', 'intelligence'];
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const ints = (s) => list(s).map((x) => Number(x.replace(/_/g, '')));

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'q3-sellers': { type: 'string', default: '50,1' },
    'fanout-sizes': { type: 'string', default: '100,1000,10000' },
    'fanout-rate': { type: 'string', default: '10' },
    'fanout-duration': { type: 'string', default: '10' },
    'fanout-per-process': { type: 'string', default: '5000' },
    'fanout-search': { type: 'string', default: '3' },
    'contention-clients': { type: 'string', default: '1000' },
    'contention-stock': { type: 'string', default: '5000' },
    'contention-runs': { type: 'string', default: '3' },
    'contention-timeout': { type: 'string', default: '120' },
    'bystander-attackers': { type: 'string', default: '20' },
    'import-rows': { type: 'string', default: '1000000' },
    'import-timeout': { type: 'string', default: '1800' },
    'import-relay-wait': { type: 'string', default: '60' },
    products: { type: 'string', default: '20000' },
    'intelligence-products': { type: 'string', default: '20000' },
    'intelligence-orders': { type: 'string', default: '100000' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/amused_bench' },
    'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    port: { type: 'string', default: '4600' },
    profile: { type: 'boolean', default: false },
    'write-md': { type: 'boolean' },
    'skip-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    from: { type: 'string' },
  },
});

if (args.help) {
  console.log(readFileSync(join(BENCH_DIR, 'README.md'), 'utf8'));
  process.exit(0);
}

const only = args.only ? list(args.only) : ALL;
for (const s of only) if (!ALL.includes(s)) throw new Error(`unknown scenario ${s}; one of ${ALL.join(', ')}`);
const options = {
  runs: Number(args.runs),
  duration: Number(args.duration),
  warmup: Number(args.warmup),
  connections: Number(args.connections),
  q3Sellers: Number(args['q3-sellers'].split(',')[0]),
  // q3 runs once per count: the first is results.q3, the others results[`q3s${count}`]
  q3SellerCounts: args['q3-sellers'].split(',').map(Number),
  fanoutSizes: ints(args['fanout-sizes']),
  fanoutRate: Number(args['fanout-rate']),
  fanoutDuration: Number(args['fanout-duration']),
  fanoutPerProcess: Number(args['fanout-per-process']),
  fanoutSearch: Number(args['fanout-search']),
  contentionClients: Number(args['contention-clients']),
  contentionStock: Number(args['contention-stock']),
  contentionRuns: Number(args['contention-runs']),
  contentionTimeout: Number(args['contention-timeout']),
  bystanderAttackers: Number(args['bystander-attackers']),
  importRows: Number(args['import-rows'].replace(/_/g, '')),
  importTimeout: Number(args['import-timeout']),
  importRelayWait: Number(args['import-relay-wait']),
  products: Number(args.products),
  intelligenceProducts: Number(args['intelligence-products'].replace(/_/g, '')),
  intelligenceOrders: Number(args['intelligence-orders'].replace(/_/g, '')),
  databaseUrl: args['database-url'],
  redisUrl: args['redis-url'],
  redisPrefix: 'amused-bench',
  // fixed: tokens are signed by the harness; nothing here is a secret
  jwtSecret: 'amused-benchmark-secret-0123456789abcdef',
};
const port = Number(args.port);
// a run with other sizes than the issue's is not carried into BENCHMARKS.md by later runs
const SIZE_OPTIONS = ['runs', 'duration', 'warmup', 'connections', 'q3-sellers', 'fanout-sizes', 'fanout-rate', 'fanout-duration', 'contention-clients', 'contention-stock', 'contention-runs', 'import-rows', 'products'];
options.partial = SIZE_OPTIONS.some((k) => process.argv.some((a) => a === `--${k}` || a.startsWith(`--${k}=`)));
const writeMd = args['write-md'] ?? !args.only;

/** The results block of BENCHMARKS.md, replaced in place (the rest of the file is written by hand). */
function writeBenchmarksMd(markdown) {
  const mdPath = join(REPO_DIR, 'BENCHMARKS.md');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const block = `${start}\n${markdown}\n${end}`;
  const current = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : `# Benchmarks\n\n${start}\n${end}\n`;
  const next = current.includes(start) ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => block) : `${current}\n${block}\n`;
  writeFileSync(mdPath, next);
  return mdPath;
}

if (args.from) {
  // npm run bench -- --from bench/results/<file>.json: rewrites the block of BENCHMARKS.md from that run
  const earlier = JSON.parse(readFileSync(args.from, 'utf8'));
  console.log(`updated ${writeBenchmarksMd(`${renderMachine(earlier)}\n\n${renderMarkdown(earlier)}`)}`);
  process.exit(0);
}

const started = new Date();
const log = (...m) => console.log(...m);
const sh = (cmd, argv) => {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    memoryGB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    postgres: sh('psql', [options.databaseUrl, '-tAc', 'SHOW server_version']).replace(/^/, 'PostgreSQL '),
    redis: /redis_version:(\S+)/.exec(sh('redis-cli', ['-u', options.redisUrl, 'INFO', 'server']))?.[1] ?? 'unknown',
    loadAverage: loadavg().map((x) => round(x, 2)),
  };
}

const commandLine = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const report = {
  startedAt: started.toISOString(),
  command: commandLine,
  commit: `${sh('git', ['-C', REPO_DIR, 'rev-parse', '--short', 'HEAD'])}${sh('git', ['-C', REPO_DIR, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'prisma']) ? ' (with uncommitted changes in src/prisma)' : ''}`,
  machine: machine(),
  options: { ...options, jwtSecret: undefined, only },
  limitsRaised: 'RATE_LIMIT_PER_SECOND=1000000 COST_BUDGET_MAX=1000000000 COST_RESTORE_PER_SECOND=1000000000 SUBSCRIPTIONS_MAX_PER_SELLER=1000000 SUBSCRIPTIONS_MAX_PER_CONNECTION=1000 IMPORT_MAX_BYTES=2GiB BULK_JOBS_PER_MINUTE=1000',
  results: {},
};

const procs = [];
async function stopAll() {
  for (const p of procs.splice(0).reverse()) await p.stop().catch(() => undefined);
}
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('\ninterrupted: stopping the servers');
  void stopAll().then(() => process.exit(130));
});

async function main() {
  log(`Amused benchmark: ${only.join(', ')}`);
  log(renderMachine({ ...report, durationMinutes: '…' }));
  if (!args['skip-build']) {
    log('building the production bundle (npm run build) ...');
    execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_DIR, stdio: 'inherit' });
  } else if (!existsSync(join(REPO_DIR, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run without --skip-build');
  }
  mkdirSync(WORK_DIR, { recursive: true });
  if (only.includes('intelligence')) {
    // in this process on a database of its own: no servers, and the shared data set is left alone
    log('\nintelligence');
    report.results.intelligence = await runIntelligence({ options, log });
    log(`\n${renderIntelligence(report.results.intelligence)}`);
    if (only.length === 1) return writeResults();
  }
  await clearRedis(options.redisUrl, options.redisPrefix);
  const profileDir = args.profile ? join(WORK_DIR, 'profiles', started.toISOString().replace(/[:.]/g, '-')) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  // the api creates and migrates the database; the data goes in before the worker starts
  const api = await startApi(options, { port, cpuProfDir: profileDir });
  procs.push(api);
  const data = await ensureDataSet(options.databaseUrl, options.products);
  log(data.loaded ? `loaded ${data.products} products over 50 sellers in ${data.seconds} s` : `the data set (${data.products} products) is in place`);
  const worker = await startWorker(options, { cpuProfDir: profileDir && join(profileDir, 'worker') });
  procs.push(worker);
  const needsPeers = only.some((s) => ['q1', 'q2', 'q3'].includes(s));
  const peer = needsPeers ? await startPeer(options, { port: port + 1 }) : undefined;
  const ceiling = needsPeers ? await startCeiling(options, { port: port + 2 }) : undefined;
  if (peer) procs.push(peer);
  if (ceiling) procs.push(ceiling);

  const tokens = {};
  for (const s of [...Array.from({ length: SELLERS }, (_, i) => sellerId(i + 1)), HOT_SELLER]) tokens[s] = await tokenFor(options.jwtSecret, s);
  const ids = { readProduct: await productOf(options.databaseUrl, READ_SELLER, 10), fanoutProduct: await productOf(options.databaseUrl, FANOUT_SELLER, 0) };
  const ctx = { options, log, api, worker, peer, ceiling, tokens, ids, windows: [] };

  await sleep(3000);
  const idle = procStats(api.pid);
  const memory = { idleRssMB: round(idle.rssMB, 1), loaded: {}, atStart: {} };
  log(`api idle RSS ${memory.idleRssMB} MB`);

  for (const q of ['q1', 'q2', 'q3']) {
    if (!only.includes(q)) continue;
    log(`\n${q}`);
    report.results[q] = await runQueryScenario(q, ctx);
    memory.loaded[`${q} (50 connections)`] = report.results[q].apiUnderLoad?.peakRssMB;
    memory.atStart[`${q} (50 connections)`] = report.results[q].apiUnderLoad?.startRssMB;
    if (q !== 'q3') continue;
    for (const sellers of options.q3SellerCounts.slice(1)) {
      log(`\nq3 over ${sellers} seller(s)`);
      report.results[`q3s${sellers}`] = await runQueryScenario('q3', ctx, sellers);
    }
  }
  if (only.includes('fanout')) {
    log('\nfan-out');
    report.results.fanout = await runFanout(ctx);
    for (const c of report.results.fanout.cases) {
      memory.loaded[`fan-out, ${c.subscribers.toLocaleString('en-US')} subscribers`] = c.apiPeakRssMB;
      memory.atStart[`fan-out, ${c.subscribers.toLocaleString('en-US')} subscribers`] = c.apiStartRssMB;
    }
  }
  if (only.includes('bystander')) {
    log('\nbystander');
    report.results.bystander = await runBystander(ctx);
  }
  if (only.includes('contention')) {
    log('\ncontention');
    report.results.contention = await runContention(ctx);
    memory.loaded[`contention (${options.contentionClients} clients)`] = Math.max(...report.results.contention.runs.map((r) => r.apiPeakRssMB));
    memory.atStart[`contention (${options.contentionClients} clients)`] = report.results.contention.runs[0].apiStartRssMB;
  }
  if (only.includes('import')) {
    log('\nimport');
    report.results.import = await runImport(ctx);
    memory.loaded['import upload'] = report.results.import.apiPeakRssMB;
    memory.atStart['import upload'] = report.results.import.apiStartRssMB;
  }
  if (only.includes('memory')) {
    if (Object.keys(memory.loaded).length === 0) {
      log('\nmemory: a q1 load on our api alone');
      const { sampleProcess } = await import('./lib/proc.mjs');
      const sampler = sampleProcess(api.pid);
      await measureHttp(
        { url: `${api.url}/graphql`, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[READ_SELLER]}` }, body: JSON.stringify({ query: '{ products(first: 50) { nodes { id sku name price quantity category } } }' }) },
        { connections: options.connections, duration: options.duration, warmup: 0 },
      );
      memory.loaded[`q1 (${options.connections} connections)`] = sampler.stop().peakRssMB;
    }
    await sleep(2000);
    memory.afterRssMB = round(procStats(api.pid)?.rssMB, 1);
    report.results.memory = memory;
  }

  await stopAll();
  if (profileDir) {
    // one profile per process (the api's in profileDir, the worker's in profileDir/worker),
    // summarized over the measured windows of each scenario
    const newest = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f))[0] : undefined);
    const files = { api: newest(profileDir), worker: newest(join(profileDir, 'worker')) };
    report.profiles = { files, scenarios: {} };
    const loaded = {};
    for (const scenario of [...new Set(ctx.windows.map((w) => w.scenario))]) {
      const windows = ctx.windows.filter((w) => w.scenario === scenario);
      const file = files[windows[0].process];
      if (!file) continue;
      loaded[file] ??= JSON.parse(readFileSync(file, 'utf8'));
      const s = summarizeProfile(loaded[file], 30, windows);
      report.profiles.scenarios[scenario] = { process: windows[0].process, ...s };
      log(`\nCPU profile, ${scenario} (${windows[0].process}): busy ${s.busyMs} ms, idle ${s.idleMs} ms`);
      for (const p of s.packages.slice(0, 12)) log(`${String(p.percent).padStart(5)}%  ${p.name}`);
      log('  top functions (self time):');
      for (const f of s.functions.slice(0, 15)) log(`${String(f.percent).padStart(5)}%  ${f.name}`);
    }
  }
  await clearRedis(options.redisUrl, options.redisPrefix);
  await withDb(options.databaseUrl, (db) => db.query('SELECT 1'));
  writeResults();
}

function writeResults() {
  report.durationMinutes = round((Date.now() - started.getTime()) / 60_000, 1);
  report.targets = targets(report.results);
  const resultsDir = join(BENCH_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);

  const markdown = renderMarkdown(report);
  log(`\n${renderMachine(report)}\n\n${markdown}`);
  log(`results: ${jsonPath}`);
  if (writeMd) {
    // scenarios not run this time keep their latest earlier result, named with its run
    const earlier = readdirSync(resultsDir)
      .filter((f) => f.endsWith('.json') && join(resultsDir, f) !== jsonPath)
      .sort()
      .reverse()
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')));
    const merged = { ...report, results: { ...report.results }, carried: {} };
    for (const s of ALL) {
      if (merged.results[s]) continue;
      const from = earlier.find((r) => r.results?.[s] && !r.options?.partial);
      if (!from) continue;
      merged.results[s] = from.results[s];
      merged.carried[s] = { startedAt: from.startedAt, commit: from.commit, command: from.command };
    }
    merged.targets = targets(merged.results);
    report.markdown = renderMarkdown(merged);
  }
  if (writeMd) log(`updated ${writeBenchmarksMd(`${renderMachine(report)}\n\n${report.markdown}`)}`);
  delete report.markdown;
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
