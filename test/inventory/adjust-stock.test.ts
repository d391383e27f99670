import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { adjust, AdjustStock, createStocked, expectStockInvariants, Movements, productEvents, reserve, stockOf } from '../support/stock.js';
import { toGlobalId } from '../../src/graphql/global-id.js';

const SELLER = 'adjust-a';
const OTHER = 'adjust-b';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
});
afterEach(() => expectStockInvariants(api, SELLER, OTHER));
afterAll(() => api?.stop());

describe('adjustStock', () => {
  it('changes on-hand stock by delta as one movement with its reason, note and quantityAfter', async () => {
    const id = await createStocked(api, SELLER, 5);
    const res = await api.gql(AdjustStock, { input: { productId: id, delta: 12, reason: 'RECEIVED', note: 'pallet 7' } }, { seller: SELLER });
    expect(res.data!.adjustStock).toEqual({ product: { id, quantity: 17, reserved: 0, available: 17, version: 2 }, userErrors: [] });
    await adjust(api, SELLER, id, -3, 'DAMAGED');
    const movements = await api.gql(Movements, { id }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes).toEqual([
      { delta: 5, reason: 'RECEIVED', quantityAfter: 5, note: 'initial stock' },
      { delta: 12, reason: 'RECEIVED', quantityAfter: 17, note: 'pallet 7' },
      { delta: -3, reason: 'DAMAGED', quantityAfter: 14, note: null },
    ]);
    const events = await productEvents(api, SELLER, id);
    expect(events.map((e) => e.__typename)).toEqual(['ProductCreated', 'ProductUpdated', 'ProductUpdated']);
    expect(events[2]).toMatchObject({ changes: { quantity: 14, reserved: null } });
  });

  it('never takes on-hand stock below what reservations hold', async () => {
    const id = await createStocked(api, SELLER, 10);
    await reserve(api, SELLER, [{ productId: id, quantity: 6 }]);
    const res = await api.gql(AdjustStock, { input: { productId: id, delta: -5, reason: 'DAMAGED' } }, { seller: SELLER });
    expect(res.data!.adjustStock).toEqual({
      product: null,
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['input', 'delta'], message: `Only 4 units of product ${id} are available, 5 needed` }],
    });
    await adjust(api, SELLER, id, -4, 'CORRECTION');
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 6, reserved: 6, available: 0 });
  });

  it('keeps 0 <= reserved <= quantity under 40 concurrent removals of stock 20', async () => {
    const id = await createStocked(api, SELLER, 20);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => api.gql(AdjustStock, { input: { productId: id, delta: -1, reason: 'SOLD' } }, { seller: SELLER })),
    );
    expect(results.filter((r) => r.data!.adjustStock.product)).toHaveLength(20);
    expect(results.filter((r) => r.data!.adjustStock.userErrors[0]?.code === 'INSUFFICIENT_STOCK')).toHaveLength(20);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 0, reserved: 0 });
  });

  it('refuses bad input with a field path, changing nothing', async () => {
    const id = await createStocked(api, SELLER, 5);
    const cases: [Record<string, unknown>, unknown][] = [
      [{ delta: 0 }, [{ code: 'INVALID', field: ['input', 'delta'], message: 'Delta must be a non-zero whole number' }]],
      [{ productId: toGlobalId('Product', 999999) }, [{ code: 'NOT_FOUND', field: ['input', 'productId'], message: `Product ${toGlobalId('Product', 999999)} not found` }]],
      [{ note: 'n'.repeat(1001) }, [{ code: 'INVALID', field: ['input', 'note'], message: 'Note must be at most 1000 characters' }]],
      [{ idempotencyKey: 'k'.repeat(256) }, [{ code: 'INVALID', field: ['input', 'idempotencyKey'], message: 'Idempotency key must be 1-255 characters' }]],
      [{ delta: 2_147_483_647 }, [{ code: 'INVALID', field: ['input', 'delta'], message: `Product ${id} cannot hold more than 2147483647 units` }]],
    ];
    for (const [override, userErrors] of cases) {
      const res = await api.gql(AdjustStock, { input: { productId: id, delta: 1, reason: 'RECEIVED', ...override } } as never, { seller: SELLER });
      expect(res.data!.adjustStock, JSON.stringify(override).slice(0, 80)).toEqual({ product: null, userErrors });
    }
    for (const productId of ['x', '999999', toGlobalId('Order', 1)]) {
      const res = await api.gql(AdjustStock, { input: { productId, delta: 1, reason: 'RECEIVED' } } as never, { seller: SELLER });
      expect(res.errors?.[0]).toMatchObject({ message: 'input.productId must be a Product id such as "UHJvZHVjdDox"', extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 5, version: 1 });
  });

  it("answers NOT_FOUND for another seller's product and leaves it alone", async () => {
    const id = await createStocked(api, SELLER, 5);
    const res = await api.gql(AdjustStock, { input: { productId: id, delta: 100, reason: 'RECEIVED' } }, { seller: OTHER });
    expect(res.data!.adjustStock.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'productId'], message: `Product ${id} not found` }]);
    for (const productId of ['x', '999999', toGlobalId('Order', 1)]) {
      const res = await api.gql(AdjustStock, { input: { productId, delta: 1, reason: 'RECEIVED' } } as never, { seller: SELLER });
      expect(res.errors?.[0]).toMatchObject({ message: 'input.productId must be a Product id such as "UHJvZHVjdDox"', extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 5, version: 1 });
  });
});
