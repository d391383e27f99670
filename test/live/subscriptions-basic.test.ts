import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const Create = graphql(`
  mutation LiveCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }
`);
const Update = graphql(`
  mutation LiveUpdate($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { id } userErrors { code } } }
`);
const ProductEvents = `subscription ($after: String, $types: [EventType!], $productIds: [ID!]) {
  productEvents(after: $after, types: $types, productIds: $productIds) {
    __typename sequence cursor eventType productId sellerId
    ... on ProductUpdated { changes { quantity name } }
  }
}`;
type Ev = { __typename: string; sequence: number; cursor: string; eventType: string; productId: string; sellerId: string; changes?: { quantity: number | null } };

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
});
afterAll(() => api?.stop());

/** Subscriptions of earlier tests are gone, so streamCount counts only this test's. */
async function noStreamsLeft() {
  await eventually(() => api.infra.bus.streamCount === 0, 5000, 'earlier subscriptions released');
}

async function create(seller: string, name: string, quantity = 10) {
  const res = await api.gql(Create, { input: { name, price: '1.00', category: 'Live', quantity, lowStockThreshold: 3 } }, { seller });
  return res.data!.createProduct.product!.id;
}

describe('productEvents subscription', () => {
  it('delivers new events live over WebSocket, in order', async () => {
    const seller = 'live-ws';
    await noStreamsLeft();
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<Ev>(client, ProductEvents);
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'subscription registered');
    const id = await create(seller, 'First');
    await api.gql(Update, { id, input: { name: 'Renamed' } }, { seller });
    await sub.waitFor((r) => r.values.length >= 2, 5000, 'two events');
    expect(sub.values.map((v) => [v.__typename, v.sequence])).toEqual([
      ['ProductCreated', 1],
      ['ProductUpdated', 2],
    ]);
    sub.unsubscribe();
    await client.dispose();
  });

  it('replays from a cursor, then continues live, over SSE', async () => {
    const seller = 'live-sse';
    for (let i = 0; i < 3; i++) await create(seller, `P${i}`);
    const log = await api.gql(graphql(`query LiveLog { events(first: 10) { edges { cursor } } }`), {}, { seller });
    const sub = subscribeSse<Ev>(api.url, `Bearer ${await api.token(seller)}`, ProductEvents, { after: log.data!.events.edges[0]!.cursor });
    await sub.waitFor((r) => r.values.length >= 2, 5000, 'replay');
    await create(seller, 'Live one');
    await sub.waitFor((r) => r.values.length >= 3, 5000, 'live event');
    expect(sub.values.map((v) => v.sequence)).toEqual([2, 3, 4]);
    sub.unsubscribe();
  });

  it('filters by type and product without losing its place', async () => {
    const seller = 'live-filter';
    const a = await create(seller, 'A');
    const b = await create(seller, 'B');
    await noStreamsLeft();
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<Ev>(client, ProductEvents, { after: null, types: ['PRODUCT_UPDATED'], productIds: [b] });
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'subscription registered');
    await api.gql(Update, { id: a, input: { name: 'A2' } }, { seller });
    await api.gql(Update, { id: b, input: { name: 'B2' } }, { seller });
    await sub.waitFor((r) => r.values.length >= 1, 5000, 'filtered event');
    await api.gql(Update, { id: b, input: { quantity: 1 } }, { seller });
    await sub.waitFor((r) => r.values.length >= 2, 5000, 'second filtered event');
    expect(sub.values.map((v) => [v.productId, v.eventType, v.sequence])).toEqual([
      [b, 'PRODUCT_UPDATED', 4],
      [b, 'PRODUCT_UPDATED', 5],
    ]);
    sub.unsubscribe();
    await client.dispose();
  });
});

describe('lowStockWarnings and stockLevels subscriptions', () => {
  it('sends the stock snapshot first, then every change, and low-stock warnings', async () => {
    const seller = 'live-stock';
    const id = await create(seller, 'Stocked', 10);
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    type Level = { productId: string; quantity: number; available: number; isLowStock: boolean };
    const levels = subscribeWs<Level>(client, 'subscription ($ids: [ID!]) { stockLevels(productIds: $ids) { productId quantity available isLowStock updatedAt } }', { ids: [id] });
    const warnings = subscribeWs<{ currentQuantity: number; threshold: number }>(client, 'subscription { lowStockWarnings { currentQuantity threshold productId } }');
    await levels.waitFor((r) => r.values.length >= 1, 5000, 'snapshot');
    expect(levels.values[0]).toMatchObject({ productId: id, quantity: 10, available: 10, isLowStock: false });
    await api.gql(Update, { id, input: { quantity: 2 } }, { seller });
    await api.gql(Update, { id, input: { name: 'not a stock change' } }, { seller });
    await api.gql(Update, { id, input: { quantity: 7 } }, { seller });
    await levels.waitFor((r) => r.values.length >= 3, 5000, 'changes');
    expect(levels.values.map((l) => [l.quantity, l.isLowStock])).toEqual([
      [10, false],
      [2, true],
      [7, false],
    ]);
    await warnings.waitFor((r) => r.values.length >= 1, 5000, 'warning');
    expect(warnings.values).toEqual([{ currentQuantity: 2, threshold: 3, productId: id }]);
    levels.unsubscribe();
    warnings.unsubscribe();
    await client.dispose();
  });
});
