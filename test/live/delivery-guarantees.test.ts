import { Decimal } from 'decimal.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import type { GuaranteeCursorsQuery } from '../generated/graphql.js';
import { startTestApi, type GraphQLResponse, type TestApi } from '../support/api.js';
import { REDIS_URL } from '../support/env.js';
import { eventually, subscribeWs, wsClient } from '../support/subscriptions.js';
import { sellerNodeId } from '../support/ids.js';

const Create = graphql(`
  mutation GuaranteeCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }
`);
const Cursors = graphql(`
  query GuaranteeCursors($after: String) { events(first: 100, after: $after) { nodes { sequence cursor } pageInfo { hasNextPage endCursor } } }
`);
const Events = 'subscription ($after: String, $ids: [ID!]) { productEvents(after: $after, productIds: $ids) { sequence sellerId productId } }';
type Ev = { sequence: number; sellerId: string; productId: string };

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
});
afterAll(() => api?.stop());

const input = (name: string) => ({ name, price: '1.00', category: 'C', quantity: 5 });
const sequences = (values: Ev[]) => values.map((v) => v.sequence);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function allCursors(seller: string): Promise<string[]> {
  const cursors: string[] = [];
  let after: string | null | undefined = null;
  for (;;) {
    const res: GraphQLResponse<GuaranteeCursorsQuery> = await api.gql(Cursors, { after }, { seller });
    cursors.push(...res.data!.events.nodes.map((n) => n.cursor));
    if (!res.data!.events.pageInfo.hasNextPage) return cursors;
    after = res.data!.events.pageInfo.endCursor;
  }
}

describe('delivery guarantees', () => {
  it('delivers every sequence once, in order, from 50 concurrent writers', async () => {
    const seller = 'guarantee-concurrent';
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<Ev>(client, Events);
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'subscribed');
    await Promise.all(range(1, 50).map((i) => api.gql(Create, { input: input(`W${i}`) }, { seller })));
    await sub.waitFor((r) => r.values.length >= 50, 10_000, '50 events');
    expect(sequences(sub.values)).toEqual(range(1, 50));
    sub.unsubscribe();
    await client.dispose();
    await eventually(() => api.infra.bus.streamCount === 0, 5000, 'released');
  });

  it('resumes from every cursor of a 200-event log with the exact tail, while writes go on', async () => {
    const seller = 'guarantee-resume';
    for (let i = 0; i < 200; i++) await api.services.catalog.createProduct(seller, { name: `R${i}`, price: new Decimal('1.00'), category: 'C' });
    const cursors = await allCursors(seller);
    expect(cursors).toHaveLength(200);

    const token = `Bearer ${await api.token(seller)}`;
    const clients = range(1, 4).map(() => wsClient(api.url, token));
    const subs = cursors.map((after, i) => subscribeWs<Ev>(clients[i % 4]!, Events, { after }));
    const writes = Promise.all(range(1, 30).map((i) => api.gql(Create, { input: input(`During ${i}`) }, { seller })));
    await writes;
    await Promise.all(subs.map((sub, i) => sub.waitFor((r) => r.values.at(-1)?.sequence === 230, 20_000, `tail of cursor ${i + 1}`)));
    subs.forEach((sub, i) => expect(sequences(sub.values), `after cursor ${i + 1}`).toEqual(range(i + 2, 230)));
    subs.forEach((sub) => sub.unsubscribe());
    await Promise.all(clients.map((c) => c.dispose()));
  }, 60_000);
});

describe('isolation and cleanup', () => {
  it("never sends seller B anything of seller A's, whatever filters or cursors it sends", async () => {
    const tokenA = `Bearer ${await api.token('iso-live-a')}`;
    const tokenB = `Bearer ${await api.token('iso-live-b')}`;
    const a = await api.gql(Create, { input: input('A product') }, { seller: 'iso-live-a' });
    const aId = a.data!.createProduct.product!.id;
    const [aCursor] = await allCursors('iso-live-a');

    const clientB = wsClient(api.url, tokenB);
    const withA = subscribeWs<Ev>(clientB, Events, { after: aCursor });
    await withA.waitFor((r) => r.completed, 5000, 'refusal');
    expect(withA.errors[0]).toMatchObject({ message: "The cursor is not from this seller's event log", extensions: { code: 'BAD_USER_INPUT' } });
    expect(withA.values).toEqual([]);

    const byId = subscribeWs<Ev>(clientB, Events, { ids: [aId] });
    const all = subscribeWs<Ev>(clientB, Events);
    const clientA = wsClient(api.url, tokenA);
    const ofA = subscribeWs<Ev>(clientA, Events, { after: aCursor });
    for (let i = 0; i < 3; i++) await api.gql(Create, { input: input(`A${i}`) }, { seller: 'iso-live-a' });
    await api.gql(Create, { input: input('B only') }, { seller: 'iso-live-b' });
    await all.waitFor((r) => r.values.length >= 1, 5000, "B's own event");
    await ofA.waitFor((r) => r.values.length >= 3, 5000, "A's events");
    expect(all.values).toEqual([expect.objectContaining({ sellerId: sellerNodeId('iso-live-b'), sequence: 1 })]);
    expect(byId.values).toEqual([]);
    for (const s of [byId, all, ofA]) s.unsubscribe();
    await Promise.all([clientA.dispose(), clientB.dispose()]);
  });

  it('leaves no Redis channel subscription and no listener behind after 1,000 subscribe/unsubscribe cycles', async () => {
    const seller = 'cycles-seller';
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    await eventually(() => api.infra.bus.streamCount === 0, 5000, 'idle before');
    for (let batch = 0; batch < 20; batch++) {
      const subs = range(1, 50).map(() => subscribeWs<Ev>(client, Events));
      await eventually(() => api.infra.bus.streamCount === 50, 5000, `batch ${batch} subscribed`);
      subs.forEach((s) => s.unsubscribe());
      await eventually(() => api.infra.bus.streamCount === 0, 5000, `batch ${batch} released`);
    }
    const redis = new Redis(REDIS_URL);
    const channel = api.infra.bus.channel(seller);
    await eventually(async () => ((await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1] === 0, 5000, 'redis unsubscribed');
    await redis.quit();
    await client.dispose();
  }, 60_000);
});
