import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { createStocked, expectStockInvariants, ReleaseReservation, ReserveStock, stockOf } from '../support/stock.js';

const SELLER = 'reserve-concurrency';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
});
afterAll(async () => {
  await expectStockInvariants(api, SELLER);
  await api?.stop();
});

describe('concurrent reservations', () => {
  it('holds exactly 50 of 200 concurrent one-unit reservations against stock 50', async () => {
    const productId = await createStocked(api, SELLER, 50);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => api.gql(ReserveStock, { input: { items: [{ productId, quantity: 1 }] } }, { seller: SELLER })),
    );
    expect(results.filter((r) => r.errors).map((r) => r.errors)).toEqual([]);
    const held = results.filter((r) => r.data!.reserveStock.reservation?.status === 'HELD');
    const refused = results.map((r) => r.data!.reserveStock.userErrors).filter((e) => e.length > 0);
    expect(held).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const errors of refused) {
      expect(errors).toEqual([{ code: 'INSUFFICIENT_STOCK', field: ['input', 'items', '0', 'quantity'], message: expect.stringMatching(/^Only 0 units/) }]);
    }
    expect(new Set(held.map((r) => r.data!.reserveStock.reservation!.id)).size).toBe(50);
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 50, reserved: 50, available: 0 });
    await expectStockInvariants(api, SELLER);
  }, 30_000);

  it('never deadlocks 100 pairs of two-item reservations naming the products in opposite order', async () => {
    const a = await createStocked(api, SELLER, 1000);
    const b = await createStocked(api, SELLER, 1000);
    const requests = Array.from({ length: 100 }, (_, i) => [
      api.gql(ReserveStock, { input: { items: [{ productId: a, quantity: 1 + (i % 3) }, { productId: b, quantity: 1 }] } }, { seller: SELLER }),
      api.gql(ReserveStock, { input: { items: [{ productId: b, quantity: 2 }, { productId: a, quantity: 1 }] } }, { seller: SELLER }),
    ]).flat();
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.errors).map((r) => r.errors)).toEqual([]);
    expect(results.flatMap((r) => r.data!.reserveStock.userErrors)).toEqual([]);
    const heldA = Array.from({ length: 100 }, (_, i) => 1 + (i % 3) + 1).reduce((x, y) => x + y, 0);
    expect(await stockOf(api, SELLER, a)).toMatchObject({ quantity: 1000, reserved: heldA });
    expect(await stockOf(api, SELLER, b)).toMatchObject({ quantity: 1000, reserved: 300 });
    await expectStockInvariants(api, SELLER);

    // and releasing them all, again in parallel, gives every unit back
    const releases = await Promise.all(
      results.map((r) => api.gql(ReleaseReservation, { id: r.data!.reserveStock.reservation!.id }, { seller: SELLER })),
    );
    expect(releases.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(releases.flatMap((r) => r.data!.releaseReservation.userErrors)).toEqual([]);
    expect(await stockOf(api, SELLER, a)).toMatchObject({ quantity: 1000, reserved: 0 });
    expect(await stockOf(api, SELLER, b)).toMatchObject({ quantity: 1000, reserved: 0 });
    await expectStockInvariants(api, SELLER);
  }, 30_000);

  it('holds all items of a contended multi-item reservation or none', async () => {
    const scarce = await createStocked(api, SELLER, 10);
    const plenty = await createStocked(api, SELLER, 1000);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        api.gql(ReserveStock, { input: { items: [{ productId: plenty, quantity: 5 }, { productId: scarce, quantity: 1 }] } }, { seller: SELLER }),
      ),
    );
    const held = results.filter((r) => r.data!.reserveStock.reservation);
    expect(held).toHaveLength(10);
    for (const r of results.filter((x) => !x.data!.reserveStock.reservation)) {
      expect(r.data!.reserveStock.userErrors).toEqual([expect.objectContaining({ code: 'INSUFFICIENT_STOCK', field: ['input', 'items', '1', 'quantity'] })]);
    }
    expect(await stockOf(api, SELLER, plenty)).toMatchObject({ reserved: 50 });
    expect(await stockOf(api, SELLER, scarce)).toMatchObject({ reserved: 10, available: 0 });
    await expectStockInvariants(api, SELLER);
  }, 30_000);
});
