import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { AdjustStock, createStocked, expectStockInvariants, Movements, PlaceOrder, ReserveStock, stockOf } from '../support/stock.js';

const SELLER = 'idempotency-a';
const OTHER = 'idempotency-b';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
});
afterEach(() => expectStockInvariants(api, SELLER, OTHER));
afterAll(() => api?.stop());

const retries = <T>(n: number, send: () => Promise<T>) => Promise.all(Array.from({ length: n }, send));

describe('idempotency keys', () => {
  it('applies adjustStock once for 20 concurrent retries with the same key', async () => {
    const productId = await createStocked(api, SELLER, 10);
    const input = { productId, delta: 5, reason: 'RECEIVED' as const, idempotencyKey: 'adjust-1' };
    const results = await retries(20, () => api.gql(AdjustStock, { input }, { seller: SELLER }));
    for (const r of results) expect(r.data!.adjustStock).toMatchObject({ product: { id: productId }, userErrors: [] });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 15 });
    const movements = await api.gql(Movements, { id: productId }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes.map((m) => m.delta)).toEqual([10, 5]);

    const later = await api.gql(AdjustStock, { input }, { seller: SELLER });
    expect(later.data!.adjustStock.product).toMatchObject({ quantity: 15 });
    const changed = await api.gql(AdjustStock, { input: { ...input, delta: 6 } }, { seller: SELLER });
    expect(changed.data!.adjustStock).toEqual({
      product: null,
      userErrors: [{ code: 'INVALID', field: ['input', 'idempotencyKey'], message: 'This idempotency key was already used for adjustStock with other input' }],
    });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 15 });
  });

  it('holds stock once for 20 concurrent reserveStock retries with the same key', async () => {
    const a = await createStocked(api, SELLER, 10);
    const b = await createStocked(api, SELLER, 10);
    const input = { items: [{ productId: a, quantity: 2 }, { productId: b, quantity: 3 }], idempotencyKey: 'checkout-1' };
    const results = await retries(20, () => api.gql(ReserveStock, { input }, { seller: SELLER }));
    const ids = new Set(results.map((r) => r.data!.reserveStock.reservation?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeTruthy();
    expect(await stockOf(api, SELLER, a)).toMatchObject({ reserved: 2 });
    expect(await stockOf(api, SELLER, b)).toMatchObject({ reserved: 3 });

    // the same items in another order are the same input; other quantities are not
    const reordered = await api.gql(ReserveStock, { input: { ...input, items: [...input.items].reverse() } }, { seller: SELLER });
    expect(reordered.data!.reserveStock.reservation!.id).toBe([...ids][0]);
    const other = await api.gql(ReserveStock, { input: { ...input, items: [{ productId: a, quantity: 1 }] } }, { seller: SELLER });
    expect(other.data!.reserveStock.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'idempotencyKey'], message: 'This idempotency key was already used for reserveStock with other input' },
    ]);
  });

  it('places one order for 20 concurrent placeOrder retries with the same key', async () => {
    const productId = await createStocked(api, SELLER, 10, { price: '2.50' });
    const input = { items: [{ productId, quantity: 4 }], idempotencyKey: 'order-1' };
    const results = await retries(20, () => api.gql(PlaceOrder, { input }, { seller: SELLER }));
    const ids = new Set(results.map((r) => r.data!.placeOrder.order?.id));
    expect(ids.size).toBe(1);
    expect(results[0]!.data!.placeOrder.order).toMatchObject({ status: 'PENDING', total: '10.00' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ reserved: 4 });
    const orders = await api.infra.db.order.count({ where: { sellerId: SELLER } });
    expect(orders).toBe(1);
  });

  it('lets a retry apply after a refused first attempt, since nothing was applied', async () => {
    const productId = await createStocked(api, SELLER, 1);
    const input = { items: [{ productId, quantity: 3 }], idempotencyKey: 'retry-after-restock' };
    const first = await api.gql(ReserveStock, { input }, { seller: SELLER });
    expect(first.data!.reserveStock.userErrors[0]!.code).toBe('INSUFFICIENT_STOCK');
    await api.gql(AdjustStock, { input: { productId, delta: 5, reason: 'RECEIVED' } }, { seller: SELLER });
    const second = await api.gql(ReserveStock, { input }, { seller: SELLER });
    expect(second.data!.reserveStock.reservation!.status).toBe('HELD');
  });

  it('keeps keys apart per seller and per mutation', async () => {
    const mine = await createStocked(api, SELLER, 10);
    const theirs = await createStocked(api, OTHER, 10);
    const key = 'shared-key';
    const a = await api.gql(ReserveStock, { input: { items: [{ productId: mine, quantity: 1 }], idempotencyKey: key } }, { seller: SELLER });
    const b = await api.gql(ReserveStock, { input: { items: [{ productId: theirs, quantity: 1 }], idempotencyKey: key } }, { seller: OTHER });
    expect(a.data!.reserveStock.reservation!.id).not.toBe(b.data!.reserveStock.reservation!.id);
    const order = await api.gql(PlaceOrder, { input: { items: [{ productId: mine, quantity: 1 }], idempotencyKey: key } }, { seller: SELLER });
    expect(order.data!.placeOrder.userErrors).toEqual([]);
    expect(await stockOf(api, SELLER, mine)).toMatchObject({ reserved: 2 });
    expect(await stockOf(api, OTHER, theirs)).toMatchObject({ reserved: 1 });
  });
});
