// autocannon runs: a warm-up, then the measured run; req/s, p50/p99 latency and errors.
import autocannon from 'autocannon';
import { round } from './proc.mjs';
import { monotonicMicros } from './profile.mjs';

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ ...options, setupClient: undefined }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Sends the request once and checks the answer, so that a broken target is not measured. */
export async function checkTarget(target) {
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${target.url} answered ${res.status} with non-JSON: ${text.slice(0, 300)}`);
  }
  const problem = res.status !== 200 ? `HTTP ${res.status}` : json.errors ? JSON.stringify(json.errors).slice(0, 300) : target.validate?.(json.data);
  if (problem) throw new Error(`${target.url} gave a wrong answer (${problem}): ${text.slice(0, 300)}`);
  return json.data;
}

/** Warm-up (not measured), then `duration` seconds with `connections` connections. */
export async function measureHttp(target, { connections, duration, warmup }) {
  const common = { url: target.url, method: 'POST', headers: target.headers, body: target.body, connections, pipelining: 1 };
  if (target.perConnection) {
    // each connection keeps its own variant of the request (e.g. its own seller)
    let next = 0;
    common.requests = [
      {
        setupRequest: (req, context) => {
          context.variant ??= target.perConnection(next++);
          return { ...req, ...context.variant, headers: { ...req.headers, ...context.variant.headers } };
        },
      },
    ];
  }
  if (warmup > 0) await run({ ...common, duration: warmup });
  const from = monotonicMicros();
  const r = await run({ ...common, duration });
  const window = { from, to: monotonicMicros() };
  return {
    rps: round(r.requests.total / r.duration, 0),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    window,
  };
}
