import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { adjust, AdjustStock, CommitReservation, createStocked, expectStockInvariants, PlaceOrder, productEvents, reserve, ReserveStock, stockOf } from '../support/stock.js';

const SELLER = 'low-stock';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
});
afterEach(() => expectStockInvariants(api, SELLER));
afterAll(() => api?.stop());

const warnings = async (id: string) => (await productEvents(api, SELLER, id)).filter((e) => e.__typename === 'LowStockWarning');

describe('low-stock warnings', () => {
  it('fires once per crossing under concurrent decrements, and again after a restock and a new crossing', async () => {
    const id = await createStocked(api, SELLER, 30, { lowStockThreshold: 5 });

    // 40 concurrent one-unit reservations: available goes 30 -> 0, crossing 6 -> 5 once
    const first = await Promise.all(
      Array.from({ length: 40 }, () => api.gql(ReserveStock, { input: { items: [{ productId: id, quantity: 1 }] } }, { seller: SELLER })),
    );
    expect(first.filter((r) => r.data!.reserveStock.reservation)).toHaveLength(30);
    expect(await warnings(id)).toEqual([{ __typename: 'LowStockWarning', sequence: expect.any(Number), currentQuantity: 5, threshold: 5 }]);

    // still low after a restock that stays at or below the threshold: no new warning
    await adjust(api, SELLER, id, 5);
    expect(await warnings(id)).toHaveLength(1);

    // a restock above the threshold re-arms it; 40 concurrent removals cross once more
    await adjust(api, SELLER, id, 20);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ available: 25, isLowStock: false });
    await Promise.all(
      Array.from({ length: 40 }, () => api.gql(AdjustStock, { input: { productId: id, delta: -1, reason: 'SOLD' } }, { seller: SELLER })),
    );
    const both = await warnings(id);
    expect(both).toHaveLength(2);
    expect(both[1]).toMatchObject({ currentQuantity: 5, threshold: 5 });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ available: 0, isLowStock: true });
  });

  it('fires from any path that lowers available stock: reserve, placeOrder, adjustStock', async () => {
    const viaReserve = await createStocked(api, SELLER, 10, { lowStockThreshold: 3 });
    await reserve(api, SELLER, [{ productId: viaReserve, quantity: 8 }]);
    expect(await warnings(viaReserve)).toEqual([expect.objectContaining({ currentQuantity: 2, threshold: 3 })]);

    const viaOrder = await createStocked(api, SELLER, 10, { lowStockThreshold: 3 });
    const order = await api.gql(PlaceOrder, { input: { items: [{ productId: viaOrder, quantity: 7 }] } }, { seller: SELLER });
    expect(order.data!.placeOrder.userErrors).toEqual([]);
    expect(await warnings(viaOrder)).toEqual([expect.objectContaining({ currentQuantity: 3, threshold: 3 })]);

    const viaAdjust = await createStocked(api, SELLER, 10, { lowStockThreshold: 3 });
    await adjust(api, SELLER, viaAdjust, -9, 'DAMAGED');
    expect(await warnings(viaAdjust)).toEqual([expect.objectContaining({ currentQuantity: 1, threshold: 3 })]);
  });

  it('does not fire when committing a reservation, which leaves available stock as it was', async () => {
    const id = await createStocked(api, SELLER, 10, { lowStockThreshold: 3 });
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 5 }]);
    await api.gql(CommitReservation, { id: r.id }, { seller: SELLER });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 5, reserved: 0, available: 5 });
    expect(await warnings(id)).toEqual([]);
  });
});
