// Subscription fan-out: N WebSocket subscribers of one seller's productEvents on one api
// instance, events committed through the API at `rate` per second. Subscribers run in child
// processes (fanout-client.mjs) so the harness's own event loop does not skew the latency.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { FANOUT_SELLER, withDb } from '../data.mjs';
import { round, sampleProcess, sleep, waitUntilQuiet } from '../proc.mjs';
import { BENCH_DIR } from '../servers.mjs';
import { monotonicMicros } from '../profile.mjs';
import { toGlobalId } from '../global-id.mjs';
import { askChild } from '../ask-child.mjs';

const QUERY = 'subscription { productEvents { sequence timestamp } }';
const UPDATE = 'mutation Fan($id: ID!, $name: String!) { updateProduct(id: $id, input: { name: $name }) { product { version } userErrors { code } } }';

function percentile(histogram, total, p) {
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [ms, n] of histogram) {
    seen += n;
    if (seen >= rank) return ms;
  }
  return histogram.at(-1)?.[0] ?? null;
}

class Clients {
  constructor(count, perProcess) {
    this.procs = [];
    const n = Math.max(1, Math.ceil(count / perProcess));
    for (let i = 0; i < n; i++) {
      const child = fork(join(BENCH_DIR, 'fanout-client.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.procs.push({ child, share: Math.floor(count / n) + (i < count % n ? 1 : 0) });
    }
  }

  ask(child, cmd, answer) {
    return askChild(child, cmd, answer);
  }

  all(cmd, answer) {
    return Promise.all(this.procs.map(({ child, share }) => this.ask(child, typeof cmd === 'function' ? cmd(share) : cmd, answer)));
  }

  close() {
    for (const { child } of this.procs) child.send({ type: 'close' });
    return Promise.all(this.procs.map(({ child }) => new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)))));
  }
}

/** Commits `count` product updates through the API, `rate` per second on a fixed schedule. */
async function emit(ctx, { rate, count, productId, label }) {
  const url = `${ctx.api.url}/graphql`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ctx.tokens[FANOUT_SELLER]}` };
  const start = performance.now();
  const pending = [];
  const latencies = [];
  let failed = 0;
  for (let k = 0; k < count; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = performance.now();
    pending.push(
      fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: UPDATE, variables: { id: toGlobalId('Product', productId), name: `Fan-out ${label} ${k}` } }) })
        .then((r) => r.json())
        .then((j) => {
          if (j.errors || j.data?.updateProduct?.userErrors?.length) failed++;
          latencies.push(performance.now() - sent);
        })
        .catch(() => failed++),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { emitted: count, failed, mutationP50: round(latencies[Math.floor(latencies.length / 2)], 1), mutationMax: round(latencies.at(-1), 1) };
}

async function headSequence(databaseUrl) {
  return withDb(databaseUrl, async (db) => {
    const { rows } = await db.query('SELECT event_sequence FROM sellers WHERE id = $1', [FANOUT_SELLER]);
    return rows[0]?.event_sequence ?? 0;
  });
}

async function fanoutCase(ctx, subscribers) {
  const { options, log } = ctx;
  const rate = options.fanoutRate;
  const clients = new Clients(subscribers, options.fanoutPerProcess);
  try {
    const wsUrl = `${ctx.api.url.replace('http', 'ws')}/graphql`;
    const t0 = performance.now();
    const connected = await clients.all((share) => ({ type: 'connect', url: wsUrl, token: ctx.tokens[FANOUT_SELLER], query: QUERY, count: share, concurrency: 50 }), 'connected');
    const failedToConnect = connected.reduce((n, c) => n + c.failed, 0);
    const connectSeconds = round((performance.now() - t0) / 1000, 1);
    log(`  fanout ${subscribers}: connected in ${connectSeconds} s${failedToConnect ? `, ${failedToConnect} failed (${connected.find((c) => c.firstError)?.firstError})` : ''}`);

    // warm-up: events until every subscriber has received one (its subscription is live)
    const warmDeadline = Date.now() + 90_000;
    let live = 0;
    let warmed = 0;
    while (Date.now() < warmDeadline) {
      await emit(ctx, { rate, count: rate, productId: ctx.ids.fanoutProduct, label: `warm-${subscribers}` });
      warmed += rate;
      await sleep(500);
      live = (await clients.all({ type: 'status' }, 'status')).reduce((n, s) => n + s.withEvent, 0);
      if (live >= subscribers - failedToConnect && warmed >= 2 * rate) break;
    }

    const before = await headSequence(options.databaseUrl);
    await clients.all({ type: 'mark', afterSequence: before }, 'marked');
    const sampler = sampleProcess(ctx.api.pid);
    const sampledFrom = performance.now();
    const from = monotonicMicros();
    const count = rate * options.fanoutDuration;
    const emitted = await emit(ctx, { rate, count, productId: ctx.ids.fanoutProduct, label: `n${subscribers}` });
    const last = await headSequence(options.databaseUrl);
    // drain: until every subscriber has the last event, at most 15 s
    const drainDeadline = Date.now() + 15_000;
    while (Date.now() < drainDeadline) {
      const status = await clients.all({ type: 'status' }, 'status');
      if (Math.min(...status.map((s) => s.minLast)) >= last) break;
      await sleep(200);
    }
    const usage = sampler.stop();
    const sampledSeconds = (performance.now() - sampledFrom) / 1000;
    ctx.windows.push({ scenario: `fanout-${subscribers}`, process: 'api', from, to: monotonicMicros() });
    const reports = await clients.all({ type: 'report', lastSequence: last }, 'report');

    const merged = new Map();
    for (const r of reports) for (const [ms, n] of r.histogram) merged.set(ms, (merged.get(ms) ?? 0) + n);
    const histogram = [...merged.entries()].sort((a, b) => a[0] - b[0]);
    const measured = reports.reduce((n, r) => n + r.measured, 0);
    const sum = (k) => reports.reduce((n, r) => n + r[k], 0);
    const events = last - before;
    const result = {
      subscribers,
      connected: subscribers - failedToConnect,
      connectSeconds,
      eventsPerSecond: rate,
      events,
      expectedDeliveries: events * (subscribers - failedToConnect),
      deliveries: measured,
      deliveriesPerSecond: round(measured / options.fanoutDuration, 0),
      p50: percentile(histogram, measured, 50),
      p99: percentile(histogram, measured, 99),
      max: histogram.at(-1)?.[0] ?? null,
      lost: sum('missing'),
      duplicates: sum('duplicates'),
      outOfOrder: sum('outOfOrder'),
      subscriberErrors: sum('errors'),
      closedEarly: sum('closedEarly'),
      mutation: emitted,
      apiCpuPercent: usage.cpuPercent,
      // the api's CPU over the measured window (emitting and draining) per delivery made in it
      apiCpuMicrosPerDelivery: usage.cpuPercent !== null && measured > 0 ? round(((usage.cpuPercent / 100) * sampledSeconds * 1e6) / measured, 1) : null,
      apiPeakRssMB: usage.peakRssMB,
      apiStartRssMB: usage.startRssMB,
      clientProcesses: clients.procs.length,
    };
    result.meetsTarget = result.p99 !== null && result.p99 < 100 && result.lost === 0 && result.duplicates === 0 && result.connected === subscribers && emitted.failed === 0;
    log(
      `  fanout ${subscribers}: p50 ${result.p50} ms p99 ${result.p99} ms max ${result.max} ms, ${result.deliveriesPerSecond} deliveries/s, lost ${result.lost}, dup ${result.duplicates}, api CPU ${usage.cpuPercent}% (${result.apiCpuMicrosPerDelivery} µs per delivery) RSS ${usage.peakRssMB} MB`,
    );
    return result;
  } finally {
    await clients.close();
    await waitUntilQuiet([ctx.api.pid, ctx.worker.pid], { maxPercent: 10, timeoutMs: 60_000 });
  }
}

/** Two significant digits: search steps land on readable sizes. */
const roundSize = (n) => {
  const f = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.round(n / f) * f;
};

export async function runFanout(ctx) {
  const cases = [];
  for (const n of ctx.options.fanoutSizes) cases.push(await fanoutCase(ctx, n));
  // then narrow down between the largest size that met the target and the next that did not
  // (geometric midpoints, --fanout-search steps)
  const passed = () => cases.filter((c) => c.meetsTarget).map((c) => c.subscribers);
  for (let step = 0; step < ctx.options.fanoutSearch; step++) {
    const lo = Math.max(0, ...passed());
    const hi = Math.min(...cases.filter((c) => !c.meetsTarget && c.subscribers > lo).map((c) => c.subscribers));
    if (lo === 0 || !Number.isFinite(hi)) break;
    const mid = roundSize(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi || hi / lo < 1.25) break;
    ctx.log(`  fanout: searching between ${lo} (met) and ${hi} (not met): ${mid}`);
    cases.push({ ...(await fanoutCase(ctx, mid)), search: true });
  }
  cases.sort((a, b) => a.subscribers - b.subscribers);
  const ok = passed();
  const largest = ok.length ? Math.max(...ok) : null;
  const firstFailing = cases.filter((c) => !c.meetsTarget && c.subscribers > (largest ?? 0)).map((c) => c.subscribers);
  return {
    scenario: 'fanout',
    eventsPerSecond: ctx.options.fanoutRate,
    durationSeconds: ctx.options.fanoutDuration,
    cases,
    largestMeetingTarget: largest,
    smallestMissingTarget: firstFailing.length ? Math.min(...firstFailing) : null,
  };
}
