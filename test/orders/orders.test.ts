import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { keyOf } from '../support/ids.js';
import {
  CancelOrder,
  CommitReservation,
  createStocked,
  expectStockInvariants,
  Movements,
  PlaceOrder,
  ReleaseReservation,
  stockOf,
  UpdateOrderStatus,
} from '../support/stock.js';

const ReadOrder = graphql(`
  query OrdersRead($id: ID!) {
    order(id: $id) { id status total createdAt updatedAt items { productId quantity unitPrice product { id price } } reservation { id status items { productId quantity } } }
  }
`);
const ListOrders = graphql(`
  query OrdersList($first: Int, $after: String, $status: OrderStatus) {
    orders(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor }
      nodes { id status items { product { id } } reservation { id } }
    }
  }
`);
const Reprice = graphql(`
  mutation OrdersReprice($id: ID!, $price: Decimal!) { updateProduct(id: $id, input: { price: $price }) { userErrors { code } } }
`);

const SELLER = 'orders-a';
const OTHER = 'orders-b';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
});
afterEach(() => expectStockInvariants(api, SELLER, OTHER));
afterAll(() => api?.stop());

async function place(items: { productId: string; quantity: number }[], seller = SELLER) {
  const res = await api.gql(PlaceOrder, { input: { items } }, { seller });
  expect(res.data!.placeOrder.userErrors).toEqual([]);
  return res.data!.placeOrder.order!;
}

async function move(id: string, status: 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'PENDING' | 'CANCELLED') {
  return (await api.gql(UpdateOrderStatus, { id, status }, { seller: SELLER })).data!.updateOrderStatus;
}

describe('placeOrder', () => {
  it('holds the items and prices the order exactly at the prices of the moment', async () => {
    const mug = await createStocked(api, SELLER, 10, { price: '0.10' });
    const lamp = await createStocked(api, SELLER, 10, { price: '19.99' });
    const order = await place([{ productId: lamp, quantity: 3 }, { productId: mug, quantity: 3 }, { productId: mug, quantity: 4 }]);
    expect(order).toMatchObject({
      status: 'PENDING',
      total: '60.67', // 7 x 0.10 + 3 x 19.99, no float drift
      items: [
        { productId: mug, quantity: 7, unitPrice: '0.10', product: { id: mug } },
        { productId: lamp, quantity: 3, unitPrice: '19.99', product: { id: lamp } },
      ],
      reservation: { status: 'HELD' },
    });
    expect(await stockOf(api, SELLER, mug)).toMatchObject({ quantity: 10, reserved: 7 });

    await api.gql(Reprice, { id: lamp, price: '25.00' }, { seller: SELLER });
    const read = await api.gql(ReadOrder, { id: order.id }, { seller: SELLER });
    expect(read.data!.order).toMatchObject({ total: '60.67', items: [{ unitPrice: '0.10' }, { unitPrice: '19.99', product: { price: '25.00' } }] });
  });

  it('keeps a total exact beyond float precision', async () => {
    const pricey = await createStocked(api, SELLER, 1_000_000, { price: '999999999999.99' });
    const order = await place([{ productId: pricey, quantity: 1_000_000 }]);
    expect(order.total).toBe('999999999999990000.00');
  });

  it('places nothing when an item is short or unknown', async () => {
    const some = await createStocked(api, SELLER, 2);
    const short = await api.gql(PlaceOrder, { input: { items: [{ productId: some, quantity: 3 }] } }, { seller: SELLER });
    expect(short.data!.placeOrder).toEqual({
      order: null,
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['input', 'items', '0', 'quantity'], message: `Only 2 units of product ${some} are available, 3 needed` }],
    });
    const unknown = await api.gql(PlaceOrder, { input: { items: [{ productId: some, quantity: 1 }, { productId: toGlobalId('Product', 999999), quantity: 1 }] } }, { seller: SELLER });
    expect(unknown.data!.placeOrder.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'items', '1', 'productId'], message: `Product ${toGlobalId('Product', 999999)} not found` }]);
    const empty = await api.gql(PlaceOrder, { input: { items: [] } }, { seller: SELLER });
    expect(empty.data!.placeOrder.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'items'], message: 'At least one item is required' }]);
    const negative = await api.gql(PlaceOrder, { input: { items: [{ productId: some, quantity: -1 }] } }, { seller: SELLER });
    expect(negative.data!.placeOrder.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'items', '0', 'quantity'], message: 'Quantity must be at least 1' }]);
    const many = await api.gql(PlaceOrder, { input: { items: Array.from({ length: 1000 }, () => ({ productId: some, quantity: 1 })) } }, { seller: SELLER });
    expect(many.data!.placeOrder.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'items'], message: 'At most 100 items' }]);
    const ttl = await api.gql(PlaceOrder, { input: { items: [{ productId: some, quantity: 1 }], ttlSeconds: 999_999 } }, { seller: SELLER });
    expect(ttl.data!.placeOrder.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'ttlSeconds'], message: 'TTL must be 1-86400 seconds' }]);
    expect(await stockOf(api, SELLER, some)).toMatchObject({ reserved: 0, version: 1 });
    expect(await api.infra.db.order.count({ where: { sellerId: SELLER, items: { some: { productId: keyOf(some) } } } })).toBe(0);
  });
});

describe('order status', () => {
  it('moves PENDING -> CONFIRMED -> SHIPPED -> DELIVERED; confirming sells the held stock', async () => {
    const id = await createStocked(api, SELLER, 10);
    const order = await place([{ productId: id, quantity: 4 }]);
    expect(await move(order.id, 'CONFIRMED')).toEqual({ order: { id: order.id, status: 'CONFIRMED', reservation: { status: 'COMMITTED' } }, userErrors: [] });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 6, reserved: 0 });
    const movements = await api.gql(Movements, { id }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes.at(-1)).toEqual({ delta: -4, reason: 'SOLD', quantityAfter: 6, note: `order ${order.id}` });
    expect((await move(order.id, 'SHIPPED')).order!.status).toBe('SHIPPED');
    expect((await move(order.id, 'DELIVERED')).order!.status).toBe('DELIVERED');
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 6, reserved: 0 });
  });

  it('answers INVALID_TRANSITION for every other move, changing nothing', async () => {
    const id = await createStocked(api, SELLER, 10);
    const pending = await place([{ productId: id, quantity: 1 }]);
    const delivered = await place([{ productId: id, quantity: 1 }]);
    for (const s of ['CONFIRMED', 'SHIPPED', 'DELIVERED'] as const) await move(delivered.id, s);
    const cancelled = await place([{ productId: id, quantity: 1 }]);
    await api.gql(CancelOrder, { id: cancelled.id }, { seller: SELLER });
    const stock = await stockOf(api, SELLER, id);

    const refused: [string, string, string][] = [
      [pending.id, 'SHIPPED', 'An order cannot move from PENDING to SHIPPED'],
      [pending.id, 'DELIVERED', 'An order cannot move from PENDING to DELIVERED'],
      [pending.id, 'PENDING', 'An order cannot move from PENDING to PENDING'],
      [pending.id, 'CANCELLED', 'An order cannot move from PENDING to CANCELLED; use cancelOrder'],
      [delivered.id, 'CONFIRMED', 'An order cannot move from DELIVERED to CONFIRMED'],
      [delivered.id, 'SHIPPED', 'An order cannot move from DELIVERED to SHIPPED'],
      [cancelled.id, 'CONFIRMED', 'An order cannot move from CANCELLED to CONFIRMED'],
      [cancelled.id, 'PENDING', 'An order cannot move from CANCELLED to PENDING'],
    ];
    for (const [orderId, status, message] of refused) {
      expect(await move(orderId, status as 'PENDING')).toEqual({ order: null, userErrors: [{ code: 'INVALID_TRANSITION', field: ['status'], message }] });
    }
    expect(await stockOf(api, SELLER, id)).toEqual(stock);
  });

  it("refuses to commit or release an order's reservation directly", async () => {
    const id = await createStocked(api, SELLER, 10);
    const order = await place([{ productId: id, quantity: 2 }]);
    const rid = order.reservation!.id;
    const message = `Reservation ${rid} belongs to order ${order.id}; confirm or cancel the order instead`;
    const commit = await api.gql(CommitReservation, { id: rid }, { seller: SELLER });
    expect(commit.data!.commitReservation.userErrors).toEqual([{ code: 'INVALID_TRANSITION', field: ['id'], message }]);
    const release = await api.gql(ReleaseReservation, { id: rid }, { seller: SELLER });
    expect(release.data!.releaseReservation.userErrors).toEqual([{ code: 'INVALID_TRANSITION', field: ['id'], message }]);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ reserved: 2 });
  });

  it('answers EXPIRED when confirming an order whose hold has run out', async () => {
    const id = await createStocked(api, SELLER, 10);
    const res = await api.gql(PlaceOrder, { input: { items: [{ productId: id, quantity: 2 }], ttlSeconds: 1 } }, { seller: SELLER });
    const order = res.data!.placeOrder.order!;
    await new Promise((r) => setTimeout(r, 1100));
    expect(await move(order.id, 'CONFIRMED')).toEqual({
      order: null,
      userErrors: [{ code: 'EXPIRED', field: ['id'], message: `Reservation ${order.reservation!.id} has expired` }],
    });
    // the expiry (run by a worker; none runs in this file) releases the stock and cancels the order
    await api.services.reservations.expire(keyOf(order.reservation!.id));
    const read = await api.gql(ReadOrder, { id: order.id }, { seller: SELLER });
    expect(read.data!.order).toMatchObject({ status: 'CANCELLED', reservation: { status: 'EXPIRED' } });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 0 });
  });
});

describe('cancelOrder', () => {
  it('releases the held stock of a PENDING order', async () => {
    const id = await createStocked(api, SELLER, 10);
    const order = await place([{ productId: id, quantity: 6 }]);
    const res = await api.gql(CancelOrder, { id: order.id }, { seller: SELLER });
    expect(res.data!.cancelOrder).toEqual({ order: { id: order.id, status: 'CANCELLED', reservation: { status: 'RELEASED' } }, userErrors: [] });
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 0 });
  });

  it('returns the sold stock of a CONFIRMED order as RETURNED movements', async () => {
    const a = await createStocked(api, SELLER, 10);
    const b = await createStocked(api, SELLER, 10);
    const order = await place([{ productId: a, quantity: 3 }, { productId: b, quantity: 1 }]);
    await move(order.id, 'CONFIRMED');
    const res = await api.gql(CancelOrder, { id: order.id }, { seller: SELLER });
    expect(res.data!.cancelOrder).toEqual({ order: { id: order.id, status: 'CANCELLED', reservation: { status: 'COMMITTED' } }, userErrors: [] });
    expect(await stockOf(api, SELLER, a)).toMatchObject({ quantity: 10, reserved: 0 });
    const movements = await api.gql(Movements, { id: a }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes.slice(-2)).toEqual([
      { delta: -3, reason: 'SOLD', quantityAfter: 7, note: `order ${order.id}` },
      { delta: 3, reason: 'RETURNED', quantityAfter: 10, note: `order ${order.id} cancelled` },
    ]);
  });

  it('returns what it can when a product was deleted since', async () => {
    const kept = await createStocked(api, SELLER, 5);
    const gone = await createStocked(api, SELLER, 5);
    const order = await place([{ productId: kept, quantity: 1 }, { productId: gone, quantity: 1 }]);
    await move(order.id, 'CONFIRMED');
    await api.services.catalog.deleteProduct(SELLER, gone);
    const res = await api.gql(CancelOrder, { id: order.id }, { seller: SELLER });
    expect(res.data!.cancelOrder.order!.status).toBe('CANCELLED');
    expect(await stockOf(api, SELLER, kept)).toMatchObject({ quantity: 5 });
    const read = await api.gql(ReadOrder, { id: order.id }, { seller: SELLER });
    expect(read.data!.order!.items.map((i) => i.product)).toEqual([{ id: kept, price: '10.00' }, null]);
  });

  it('answers INVALID_TRANSITION for SHIPPED, DELIVERED and CANCELLED orders', async () => {
    const id = await createStocked(api, SELLER, 10);
    const shipped = await place([{ productId: id, quantity: 1 }]);
    await move(shipped.id, 'CONFIRMED');
    await move(shipped.id, 'SHIPPED');
    const delivered = await place([{ productId: id, quantity: 1 }]);
    for (const s of ['CONFIRMED', 'SHIPPED', 'DELIVERED'] as const) await move(delivered.id, s);
    const cancelled = await place([{ productId: id, quantity: 1 }]);
    await api.gql(CancelOrder, { id: cancelled.id }, { seller: SELLER });
    const stock = await stockOf(api, SELLER, id);
    for (const [order, status] of [[shipped, 'SHIPPED'], [delivered, 'DELIVERED'], [cancelled, 'CANCELLED']] as const) {
      const res = await api.gql(CancelOrder, { id: order.id }, { seller: SELLER });
      expect(res.data!.cancelOrder).toEqual({ order: null, userErrors: [{ code: 'INVALID_TRANSITION', field: ['id'], message: `A ${status} order cannot be cancelled` }] });
    }
    expect(await stockOf(api, SELLER, id)).toEqual(stock);
  });
});

describe('orders', () => {
  it('pages newest first, filters by status, and counts', async () => {
    const seller = 'orders-listing';
    const id = await createStocked(api, seller, 100);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await place([{ productId: id, quantity: 1 }], seller)).id);
    await api.gql(UpdateOrderStatus, { id: ids[1]!, status: 'CONFIRMED' }, { seller });
    await api.gql(UpdateOrderStatus, { id: ids[3]!, status: 'CONFIRMED' }, { seller });

    const page1 = await api.gql(ListOrders, { first: 2 }, { seller });
    expect(page1.data!.orders).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    expect(page1.data!.orders.nodes.map((o) => o.id)).toEqual([ids[4], ids[3]]);
    expect(page1.data!.orders.nodes[0]).toMatchObject({ items: [{ product: { id } }], reservation: { id: expect.any(String) } });
    const page2 = await api.gql(ListOrders, { first: 10, after: page1.data!.orders.pageInfo.endCursor }, { seller });
    expect(page2.data!.orders.nodes.map((o) => o.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(page2.data!.orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const confirmed = await api.gql(ListOrders, { status: 'CONFIRMED' }, { seller });
    expect(confirmed.data!.orders).toMatchObject({ totalCount: 2, nodes: [{ id: ids[3], status: 'CONFIRMED' }, { id: ids[1], status: 'CONFIRMED' }] });

    const bad = await api.gql(ListOrders, { after: 'not-a-cursor' }, { seller });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await expectStockInvariants(api, seller);
  });

  it("never shows or lets another seller touch a seller's order", async () => {
    const id = await createStocked(api, SELLER, 10);
    const order = await place([{ productId: id, quantity: 1 }]);
    expect((await api.gql(ReadOrder, { id: order.id }, { seller: OTHER })).data!.order).toBeNull();
    const list = await api.gql(ListOrders, {}, { seller: OTHER });
    expect(list.data!.orders).toMatchObject({ totalCount: 0, nodes: [] });
    const notFound = [{ code: 'NOT_FOUND', field: ['id'], message: 'Order not found' }];
    expect((await api.gql(UpdateOrderStatus, { id: order.id, status: 'CONFIRMED' }, { seller: OTHER })).data!.updateOrderStatus.userErrors).toEqual(notFound);
    expect((await api.gql(CancelOrder, { id: order.id }, { seller: OTHER })).data!.cancelOrder.userErrors).toEqual(notFound);
    const foreign = await api.gql(PlaceOrder, { input: { items: [{ productId: id, quantity: 1 }] } }, { seller: OTHER });
    expect(foreign.data!.placeOrder.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'items', '0', 'productId'], message: `Product ${id} not found` }]);
    expect((await api.gql(ReadOrder, { id: order.id }, { seller: SELLER })).data!.order!.status).toBe('PENDING');
    expect(await stockOf(api, SELLER, id)).toMatchObject({ reserved: 1 });
  });

  it('answers null / NOT_FOUND for an order id that does not exist, BAD_USER_INPUT for what is not an order id', async () => {
    const missing = toGlobalId('Order', 99999);
    expect((await api.gql(ReadOrder, { id: missing }, { seller: SELLER })).data!.order).toBeNull();
    expect((await api.gql(CancelOrder, { id: missing }, { seller: SELLER })).data!.cancelOrder.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['id'], message: 'Order not found' },
    ]);
    for (const id of ['0', '99999', 'x', toGlobalId('Reservation', 1)]) {
      const refused = { message: `id must be an Order id such as "${toGlobalId('Order', 1)}"`, extensions: { code: 'BAD_USER_INPUT', field: 'id' } };
      expect((await api.gql(ReadOrder, { id }, { seller: SELLER })).errors?.[0]).toMatchObject(refused);
      expect((await api.gql(CancelOrder, { id }, { seller: SELLER })).errors?.[0]).toMatchObject(refused);
    }
  });
});
