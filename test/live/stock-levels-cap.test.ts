import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStockLevels } from '../../src/modules/events/live/stock-levels.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribeWs, wsClient } from '../support/subscriptions.js';

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
    expect(sub.values.map((v) => Number(v.productId))).toEqual(ids.map((r) => r.id));
    sub.unsubscribe();
    await client.dispose();
  }, 40_000);

  it('ends a subscriber that cannot keep up during the snapshot with RESUME_FROM_CURSOR, instead of buffering', async () => {
    let sent = 0;
    let streamEnded = false;
    const live: AsyncIterableIterator<never> = {
      next: () => new Promise(() => undefined), // nothing changes meanwhile
      return: async () => {
        streamEnded = true;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => live,
    };
    const levels = await openStockLevels({ db: api.infra.db, open: async () => live, isBackedUp: () => sent >= 3 }, SELLER, null);
    const items = [];
    for (;;) {
      const r = await levels.next();
      if (r.done) break;
      items.push(r.value);
      sent++;
    }
    expect(items.map((i) => i.kind)).toEqual(['value', 'value', 'value', 'overflow']);
    expect(streamEnded).toBe(true);
  });

  it('refuses more than 1,000 productIds', async () => {
    const client = wsClient(api.url, `Bearer ${await api.token(SELLER)}`);
    const sub = subscribeWs<Level>(client, 'subscription ($ids: [ID!]) { stockLevels(productIds: $ids) { productId } }', { ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)) });
    await sub.waitFor((r) => r.completed, 10_000, 'refusal');
    expect(sub.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    await client.dispose();
  });
});
