import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/modules/events/event.model.js';
import { MAX_STOCK_PRODUCTS, planStockLevels } from '../../src/modules/events/live/stock-levels.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribeWs, wsClient } from '../support/subscriptions.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { keyOf } from '../support/ids.js';

const SELLER = 'stock-cap';
const PRODUCTS = 1200;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.infra.db.$executeRawUnsafe(`
    INSERT INTO products (seller_id, name, price, category, quantity)
    SELECT '${SELLER}', 'P' || i, 1, 'C', i FROM generate_series(1, ${PRODUCTS}) AS i`);
});
afterAll(() => api?.stop());

type Level = { productId: string; quantity: number };

describe('stockLevels without productIds', () => {
  it("sends the seller's first 1,000 products by id, as the README says, then changes of those", async () => {
    const client = wsClient(api.url, `Bearer ${await api.token(SELLER)}`);
    const sub = subscribeWs<Level>(client, 'subscription { stockLevels { productId quantity } }');
    await sub.waitFor((r) => r.values.length >= 1000, 20_000, 'the snapshot');
    const ids = await api.infra.db.$queryRawUnsafe<{ id: number }[]>(`SELECT id FROM products WHERE seller_id = '${SELLER}' ORDER BY id LIMIT 1000`);
    expect(sub.values.map((v) => keyOf(v.productId))).toEqual(ids.map((r) => r.id));
    sub.unsubscribe();
    await client.dispose();
  }, 40_000);

  it('holds at most 1,000 products, whatever the catalog size, and lets new products join only while there is room', async () => {
    const full = await planStockLevels(api.infra.db, SELLER, null);
    expect(full.snapshot).toHaveLength(MAX_STOCK_PRODUCTS);
    const created = (productId: number) => ({ type: 'ProductCreated', productId, payload: {} }) as unknown as EventRecord;
    expect(full.accept(created(full.snapshot[0]!.productId))).toBe(true);
    expect(full.accept(created(1_000_000))).toBe(false);
    const two = await planStockLevels(api.infra.db, SELLER, [toGlobalId('Product', full.snapshot[0]!.productId), toGlobalId('Product', full.snapshot[1]!.productId)]);
    expect(two.snapshot).toHaveLength(2);
    expect(two.accept(created(1_000_001))).toBe(false);
  });

  it('refuses more than 1,000 productIds', async () => {
    const client = wsClient(api.url, `Bearer ${await api.token(SELLER)}`);
    const sub = subscribeWs<Level>(client, 'subscription ($ids: [ID!]) { stockLevels(productIds: $ids) { productId } }', { ids: Array.from({ length: 1001 }, (_, i) => toGlobalId('Product', i + 1)) });
    await sub.waitFor((r) => r.completed, 10_000, 'refusal');
    expect(sub.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    await client.dispose();
  });
});
