import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeWs, wsClient } from '../support/subscriptions.js';

const Create = graphql(`
  mutation RestartCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }
`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

// a Redis server of this test's own, so restarting it disturbs no other test file
let port: number;
let redis: ChildProcess | undefined;
async function startRedis() {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await eventually(async () => {
    const { Redis } = await import('ioredis');
    const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, 10_000, 'redis up');
}

let api: TestApi;
beforeAll(async () => {
  port = await freePort();
  await startRedis();
  api = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${port}` }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  redis?.kill('SIGKILL');
});

describe('Redis restarted during a live subscription', () => {
  it('leaves the subscriber with every event exactly once, the missed ones read back from the database', async () => {
    const seller = 'redis-restart';
    const create = (name: string) => api.gql(Create, { input: { name, price: '1', category: 'C' } }, { seller });
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<{ sequence: number }>(client, 'subscription { productEvents { sequence } }');
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'subscribed');
    for (let i = 0; i < 3; i++) await create(`Before ${i}`);
    await sub.waitFor((r) => r.values.length === 3, 5000, 'events before the restart');

    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    for (let i = 0; i < 3; i++) await create(`While down ${i}`); // committed; the relay cannot publish them yet
    await startRedis();
    for (let i = 0; i < 3; i++) await create(`After ${i}`);

    await sub.waitFor((r) => r.values.length >= 9, 20_000, 'all nine events');
    await eventually(async () => ((await api.infra.db.relayPosition.findUnique({ where: { sellerId: seller } }))?.sequence ?? 0) === 9, 10_000, 'relay caught up');
    expect(sub.values.map((v) => v.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    sub.unsubscribe();
    await client.dispose();
  }, 60_000);
});
