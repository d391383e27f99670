// Bystander latency: one seller attacks with the cheapest queries that make the database work
// hardest (a 2-character search count, which no trigram index serves, and sellerMetrics'
// aggregate) from `bystanderAttackers` concurrent loops, while another seller reads a page of
// products from 4 loops. Reports the reader's p50 idle and under attack, and what the
// attacker got through. Runs against an api of its own with the default per-seller cost
// budget and concurrency cap (the other scenarios raise them so they never refuse).
import http from 'node:http';
import { READ_SELLER, sellerId } from '../data.mjs';
import { round } from '../proc.mjs';
import { startApi } from '../servers.mjs';

const READ = JSON.stringify({ query: '{ products(first: 20) { nodes { id name price available } } }' });
const ATTACKS = [
  JSON.stringify({ query: '{ products(first: 0, filter: { search: "zq" }) { totalCount } }' }),
  JSON.stringify({ query: '{ sellerMetrics { productCount totalUnits inventoryValue lowStockCount } }' }),
];
const ATTACKER = sellerId(3);

function post(agent, url, token, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const p50 = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : round(sorted[Math.floor(sorted.length / 2)], 1);
};

/** Runs `loops` loops of `send` until `until`; returns what each request answered. */
async function loopUntil(loops, until, send) {
  const answers = [];
  await Promise.all(
    Array.from({ length: loops }, async (_, i) => {
      for (let n = i; performance.now() < until; n++) answers.push(await send(n));
    }),
  );
  return answers;
}

export async function runBystander(ctx) {
  const { options, tokens, log } = ctx;
  const api = await startApi(options, {
    port: Number(new URL(ctx.api.url).port) + 5,
    env: { COST_BUDGET_MAX: '1000', COST_RESTORE_PER_SECOND: '50', CONCURRENT_OPERATIONS_PER_SELLER: '4', CONCURRENT_OPERATIONS_PER_ADDRESS: '2' },
  });
  try {
    const url = `${api.url}/graphql`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const read = () => post(agent, url, tokens[READ_SELLER], READ);
    const seconds = options.duration;
    await loopUntil(4, performance.now() + 1000, read); // warm up
    const idle = await loopUntil(4, performance.now() + seconds * 1000, read);
    const until = performance.now() + seconds * 1000;
    const [attack, underAttack] = await Promise.all([
      loopUntil(options.bystanderAttackers, until, (n) => post(agent, url, tokens[ATTACKER], ATTACKS[n % ATTACKS.length])),
      loopUntil(4, until, read),
    ]);
    agent.destroy();
    const result = {
      attackers: options.bystanderAttackers,
      idleP50Ms: p50(idle.map((a) => a.ms)),
      underAttackP50Ms: p50(underAttack.map((a) => a.ms)),
      readerRequests: { idle: idle.length, underAttack: underAttack.length },
      attackerAnswered: attack.filter((a) => a.status === 200).length,
      attackerRefused: attack.filter((a) => a.status === 429).length,
    };
    result.slowdown = result.idleP50Ms ? round(result.underAttackP50Ms / result.idleP50Ms, 2) : null;
    log(
      `bystander p50 ${result.idleP50Ms} ms idle, ${result.underAttackP50Ms} ms under attack (x${result.slowdown}); ` +
        `attacker: ${result.attackerAnswered} answered, ${result.attackerRefused} refused (429)`,
    );
    return result;
  } finally {
    await api.stop();
  }
}
