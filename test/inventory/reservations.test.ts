import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import {
  CommitReservation,
  createStocked,
  expectStockInvariants,
  Movements,
  productEvents,
  ReadReservation,
  ReleaseReservation,
  reserve,
  ReserveStock,
  stockOf,
} from '../support/stock.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { keyOf } from '../support/ids.js';

const SELLER = 'reservations-a';
const OTHER = 'reservations-b';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
});
afterEach(() => expectStockInvariants(api, SELLER, OTHER));
afterAll(() => api?.stop());

describe('reserveStock', () => {
  it('holds every item, merging a product named twice, with the default TTL of 900 s', async () => {
    const a = await createStocked(api, SELLER, 10);
    const b = await createStocked(api, SELLER, 5);
    const before = Date.now();
    const res = await api.gql(
      ReserveStock,
      { input: { items: [{ productId: b, quantity: 2 }, { productId: a, quantity: 3 }, { productId: b, quantity: 1 }] } },
      { seller: SELLER },
    );
    const reservation = res.data!.reserveStock.reservation!;
    expect(res.data!.reserveStock.userErrors).toEqual([]);
    expect(reservation.status).toBe('HELD');
    expect(reservation.items).toEqual([
      { productId: a, quantity: 3, product: { id: a, reserved: 3 } },
      { productId: b, quantity: 3, product: { id: b, reserved: 3 } },
    ]);
    const ttl = Date.parse(reservation.expiresAt) - before;
    expect(ttl).toBeGreaterThan(895_000);
    expect(ttl).toBeLessThan(905_000);
    expect(await stockOf(api, SELLER, b)).toMatchObject({ quantity: 5, reserved: 3, available: 2 });
  });

  it('writes a ProductUpdated with only the reserved change and no stock movement', async () => {
    const id = await createStocked(api, SELLER, 4);
    await reserve(api, SELLER, [{ productId: id, quantity: 3 }]);
    const events = await productEvents(api, SELLER, id);
    expect(events.map((e) => e.__typename)).toEqual(['ProductCreated', 'ProductUpdated']);
    expect(events[1]).toMatchObject({ changes: { reserved: 3, quantity: null } });
    const movements = await api.gql(Movements, { id }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes).toEqual([{ delta: 4, reason: 'RECEIVED', quantityAfter: 4, note: 'initial stock' }]);
  });

  it('holds nothing when one item is short, naming the item', async () => {
    const a = await createStocked(api, SELLER, 10);
    const b = await createStocked(api, SELLER, 1);
    const res = await api.gql(ReserveStock, { input: { items: [{ productId: a, quantity: 4 }, { productId: b, quantity: 2 }] } }, { seller: SELLER });
    expect(res.data!.reserveStock).toEqual({
      reservation: null,
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['input', 'items', '1', 'quantity'], message: `Only 1 units of product ${b} are available, 2 needed` }],
    });
    expect(await stockOf(api, SELLER, a)).toMatchObject({ reserved: 0, version: 1 });
    expect((await productEvents(api, SELLER, a)).map((e) => e.__typename)).toEqual(['ProductCreated']);
  });

  it('refuses bad input with a field path, changing nothing', async () => {
    const id = await createStocked(api, SELLER, 10);
    const cases: [unknown, unknown][] = [
      [{ items: [] }, [{ code: 'INVALID', field: ['input', 'items'], message: 'At least one item is required' }]],
      [
        { items: Array.from({ length: 1000 }, () => ({ productId: id, quantity: 1 })) },
        [{ code: 'INVALID', field: ['input', 'items'], message: 'At most 100 items' }],
      ],
      [{ items: [{ productId: id, quantity: 0 }] }, [{ code: 'INVALID', field: ['input', 'items', '0', 'quantity'], message: 'Quantity must be at least 1' }]],
      [{ items: [{ productId: id, quantity: -5 }] }, [{ code: 'INVALID', field: ['input', 'items', '0', 'quantity'], message: 'Quantity must be at least 1' }]],
      [
        { items: [{ productId: id, quantity: 1_000_001 }] },
        [{ code: 'INVALID', field: ['input', 'items', '0', 'quantity'], message: 'Quantity must be at most 1000000' }],
      ],
      [
        { items: [{ productId: id, quantity: 1 }, { productId: toGlobalId('Product', 999999), quantity: 1 }] },
        [{ code: 'NOT_FOUND', field: ['input', 'items', '1', 'productId'], message: `Product ${toGlobalId('Product', 999999)} not found` }],
      ],
      [{ items: [{ productId: id, quantity: 1 }], ttlSeconds: 0 }, [{ code: 'INVALID', field: ['input', 'ttlSeconds'], message: 'TTL must be 1-86400 seconds' }]],
      [{ items: [{ productId: id, quantity: 1 }], ttlSeconds: 86_401 }, [{ code: 'INVALID', field: ['input', 'ttlSeconds'], message: 'TTL must be 1-86400 seconds' }]],
      [{ items: [{ productId: id, quantity: 1 }], ttlSeconds: 2_000_000_000 }, [{ code: 'INVALID', field: ['input', 'ttlSeconds'], message: 'TTL must be 1-86400 seconds' }]],
      [
        { items: [{ productId: id, quantity: 1 }], idempotencyKey: '' },
        [{ code: 'INVALID', field: ['input', 'idempotencyKey'], message: 'Idempotency key must be 1-255 characters' }],
      ],
    ];
    for (const [input, userErrors] of cases) {
      const res = await api.gql(ReserveStock, { input } as never, { seller: SELLER });
      expect(res.errors, JSON.stringify(input).slice(0, 100)).toBeUndefined();
      expect(res.data!.reserveStock, JSON.stringify(input).slice(0, 100)).toEqual({ reservation: null, userErrors });
    }
    const refused = await api.gql(ReserveStock, { input: { items: [{ productId: id, quantity: 1 }, { productId: 'nope', quantity: 1 }] } } as never, { seller: SELLER });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'input.items.1.productId must be a Product id such as "UHJvZHVjdDox"',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.items.1.productId' },
    });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ reserved: 0, version: 1 });
  });

  it('rejects a quantity beyond GraphQL Int as a bad request', async () => {
    const id = await createStocked(api, SELLER, 1);
    const res = await api.gql(ReserveStock, { input: { items: [{ productId: id, quantity: 2 ** 40 }] } }, { seller: SELLER });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('reservation lifecycle', () => {
  it('commits HELD into a sale: quantity and reserved go down, one SOLD movement per product', async () => {
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 4 }]);
    const res = await api.gql(CommitReservation, { id: r.id }, { seller: SELLER });
    expect(res.data!.commitReservation).toEqual({ reservation: { id: r.id, status: 'COMMITTED' }, userErrors: [] });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 6, reserved: 0, available: 6 });
    const movements = await api.gql(Movements, { id }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes.at(-1)).toEqual({ delta: -4, reason: 'SOLD', quantityAfter: 6, note: `reservation ${r.id}` });
    const events = await productEvents(api, SELLER, id);
    expect(events.at(-1)).toMatchObject({ __typename: 'ProductUpdated', changes: { quantity: 6, reserved: 0 } });
  });

  it('releases HELD stock back to available', async () => {
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 7 }]);
    const res = await api.gql(ReleaseReservation, { id: r.id }, { seller: SELLER });
    expect(res.data!.releaseReservation).toEqual({ reservation: { id: r.id, status: 'RELEASED' }, userErrors: [] });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 0 });
  });

  it('answers INVALID_TRANSITION for anything but HELD, changing nothing', async () => {
    const id = await createStocked(api, SELLER, 10);
    const committed = await reserve(api, SELLER, [{ productId: id, quantity: 1 }]);
    await api.gql(CommitReservation, { id: committed.id }, { seller: SELLER });
    const released = await reserve(api, SELLER, [{ productId: id, quantity: 1 }]);
    await api.gql(ReleaseReservation, { id: released.id }, { seller: SELLER });
    const stock = await stockOf(api, SELLER, id);

    for (const [rid, status] of [
      [committed.id, 'COMMITTED'],
      [released.id, 'RELEASED'],
    ] as const) {
      const refusal = { reservation: null, userErrors: [{ code: 'INVALID_TRANSITION', field: ['id'], message: `Reservation ${rid} is ${status}, not HELD` }] };
      expect((await api.gql(CommitReservation, { id: rid }, { seller: SELLER })).data!.commitReservation).toEqual(refusal);
      expect((await api.gql(ReleaseReservation, { id: rid }, { seller: SELLER })).data!.releaseReservation).toEqual(refusal);
    }
    expect(await stockOf(api, SELLER, id)).toEqual(stock);
  });

  it('answers EXPIRED when committing or releasing a reservation past its expiry', async () => {
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 2 }], 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const commit = await api.gql(CommitReservation, { id: r.id }, { seller: SELLER });
    expect(commit.data!.commitReservation.userErrors).toEqual([{ code: 'EXPIRED', field: ['id'], message: `Reservation ${r.id} has expired` }]);
    const release = await api.gql(ReleaseReservation, { id: r.id }, { seller: SELLER });
    expect(release.data!.releaseReservation.userErrors).toEqual([{ code: 'EXPIRED', field: ['id'], message: `Reservation ${r.id} has expired` }]);
    // no worker runs in this file: the stock stays held until one expires it
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 2 });
    expect(await api.services.reservations.expire(keyOf(r.id))).toEqual({ expired: true });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 0 });
    const again = await api.gql(CommitReservation, { id: r.id }, { seller: SELLER });
    expect(again.data!.commitReservation.userErrors).toEqual([{ code: 'EXPIRED', field: ['id'], message: `Reservation ${r.id} has expired` }]);
  });

  it('answers NOT_FOUND for unknown reservation ids, BAD_USER_INPUT for what is not a reservation id', async () => {
    const id = toGlobalId('Reservation', 424242);
    const res = await api.gql(CommitReservation, { id }, { seller: SELLER });
    expect(res.data!.commitReservation.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['id'], message: 'Reservation not found' }]);
    const read = await api.gql(ReadReservation, { id }, { seller: SELLER });
    expect(read.data!.reservation).toBeNull();
    for (const junk of ['0', '424242', 'abc', '-1', toGlobalId('Product', 1)]) {
      const refused = { message: `id must be a Reservation id such as "${toGlobalId('Reservation', 1)}"`, extensions: { code: 'BAD_USER_INPUT', field: 'id' } };
      expect((await api.gql(CommitReservation, { id: junk }, { seller: SELLER })).errors?.[0]).toMatchObject(refused);
      expect((await api.gql(ReadReservation, { id: junk }, { seller: SELLER })).errors?.[0]).toMatchObject(refused);
    }
  });

  it('shows a deleted product of a settled reservation as null', async () => {
    const id = await createStocked(api, SELLER, 3);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 1 }]);
    await api.gql(ReleaseReservation, { id: r.id }, { seller: SELLER });
    await api.services.catalog.deleteProduct(SELLER, id);
    const read = await api.gql(ReadReservation, { id: r.id }, { seller: SELLER });
    expect(read.data!.reservation!.items).toEqual([{ productId: id, quantity: 1, product: null }]);
  });
});

describe('reservation isolation', () => {
  it("never lets another seller read, commit, release or reserve against a seller's stock", async () => {
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 2 }]);

    expect((await api.gql(ReadReservation, { id: r.id }, { seller: OTHER })).data!.reservation).toBeNull();
    const commit = await api.gql(CommitReservation, { id: r.id }, { seller: OTHER });
    expect(commit.data!.commitReservation.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['id'], message: 'Reservation not found' }]);
    const release = await api.gql(ReleaseReservation, { id: r.id }, { seller: OTHER });
    expect(release.data!.releaseReservation.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['id'], message: 'Reservation not found' }]);
    const steal = await api.gql(ReserveStock, { input: { items: [{ productId: id, quantity: 1 }] } }, { seller: OTHER });
    expect(steal.data!.reserveStock.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'items', '0', 'productId'], message: `Product ${id} not found` }]);

    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 2 });
    expect((await api.gql(ReadReservation, { id: r.id }, { seller: SELLER })).data!.reservation!.status).toBe('HELD');
  });
});
