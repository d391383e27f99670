import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/graphql/auth.js';
import { testDatabaseName } from '../support/database.js';
import { JWT_SECRET, PG_ADMIN_URL, REDIS_URL, databaseUrl } from '../support/env.js';
import { startMain, type RunningProcess } from '../support/process.js';
import { eventually, subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const dbName = testDatabaseName();
const env = {
  DATABASE_URL: databaseUrl(dbName),
  REDIS_URL,
  REDIS_PREFIX: `test-scale-${randomBytes(4).toString('hex')}`,
  JWT_SECRET,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
};
const processes: RunningProcess[] = [];
let urlA: string;
let urlB: string;

async function startApi(): Promise<string> {
  const proc = startMain({ ...env, ROLE: 'api' });
  processes.push(proc);
  const { port } = JSON.parse(await proc.waitForLine(/api listening/, 60_000)) as { port: number };
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  const worker = startMain({ ...env, ROLE: 'worker' });
  processes.push(worker);
  await worker.waitForLine(/relay: leading/, 60_000);
  [urlA, urlB] = await Promise.all([startApi(), startApi()]);
}, 120_000);

afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await client.end();
});

describe('two api processes and one worker process', () => {
  it('delivers a mutation made on instance A to subscribers on instance B, over WebSocket and SSE', async () => {
    const seller = 'scale-seller';
    const token = `Bearer ${await signToken(JWT_SECRET, seller)}`;
    const post = (url: string, query: string) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query }) }).then(
        (r) => r.json() as Promise<{ data: { events: { nodes: { cursor: string }[] } } }>,
      );
    const mutate = (name: string) => post(urlA, `mutation { createProduct(input: {name: "${name}", price: "2.00", category: "Scale"}) { product { id } } }`);

    // subscribe on B from a known cursor, so whatever A commits afterwards must arrive
    await mutate('First');
    const cursor = (await post(urlA, '{ events(first: 1) { nodes { cursor } } }')).data.events.nodes[0]!.cursor;
    const query = 'subscription ($after: String) { productEvents(after: $after) { sequence eventType } }';
    const client = wsClient(urlB, token);
    const overWs = subscribeWs<{ sequence: number; eventType: string }>(client, query, { after: cursor });
    const overSse = subscribeSse<{ sequence: number; eventType: string }>(urlB, token, query, { after: cursor });
    // once B's process listens on the seller's channel, the next events reach it through Redis pub/sub
    const redis = new Redis(REDIS_URL);
    await eventually(async () => ((await redis.call('PUBSUB', 'NUMSUB', `${env.REDIS_PREFIX}:events:${seller}`)) as [string, number])[1] >= 1, 10_000, 'B subscribed');
    await redis.quit();
    for (let i = 0; i < 5; i++) await mutate(`Product ${i}`);

    await overWs.waitFor((r) => r.values.at(-1)?.sequence === 6, 10_000, 'ws tail');
    await overSse.waitFor((r) => r.values.at(-1)?.sequence === 6, 10_000, 'sse tail');
    for (const sub of [overWs, overSse]) {
      expect(sub.values).toEqual([2, 3, 4, 5, 6].map((sequence) => ({ sequence, eventType: 'PRODUCT_CREATED' })));
    }
    overWs.unsubscribe();
    overSse.unsubscribe();
    await client.dispose();
  }, 60_000);
});
