// Writes a shop's planned history in a handful of set-based statements (unnest of arrays), in one
// transaction: reservations and orders with their items, SOLD and RECEIVED movements, and the
// products backdated to the first day with their opening stock. No events: the history predates
// the event log, which starts with the products' ProductCreated events written by the catalog.
import type { Tx } from '../../src/infra/prisma.js';
import type { ShopPlan } from './sales-plan.js';

const RESERVATION_TTL_MS = 15 * 60_000;

const iso = (d: Date) => d.toISOString();
const money = (cents: number) => (cents / 100).toFixed(2);

async function nextIds(tx: Tx, table: 'orders' | 'reservations', count: number): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::int AS id FROM generate_series(1, ${count}::int) ORDER BY 1`;
  return rows.map((r) => r.id);
}

/** `productIds[i]` is the id of the plan's product i. Returns what it wrote. */
export async function writeHistory(tx: Tx, plan: ShopPlan, productIds: number[]): Promise<{ orders: number; movements: number }> {
  const sellerId = plan.shop.sellerId;
  const orderIds = await nextIds(tx, 'orders', plan.orders.length);
  const reservationIds = await nextIds(tx, 'reservations', plan.orders.length);
  const orders = plan.orders;
  const lines = orders.flatMap((o, i) => o.lines.map((l) => ({ order: i, product: productIds[l.product]!, quantity: l.quantity, price: plan.products[l.product]!.priceCents })));

  await tx.$executeRaw`
    INSERT INTO reservations (id, seller_id, status, expires_at, created_at, updated_at)
    SELECT id, ${sellerId}, status::"ReservationStatus", created_at + ${RESERVATION_TTL_MS}::int * interval '1 millisecond', created_at, updated_at
    FROM unnest(${reservationIds}::int[], ${orders.map((o) => (o.status === 'CANCELLED' ? 'RELEASED' : 'COMMITTED'))}::text[],
      ${orders.map((o) => iso(o.at))}::timestamptz[], ${orders.map((o) => iso(new Date(o.at.getTime() + 60_000)))}::timestamptz[])
      AS t(id, status, created_at, updated_at)`;
  await tx.$executeRaw`
    INSERT INTO reservation_items (reservation_id, product_id, quantity)
    SELECT * FROM unnest(${lines.map((l) => reservationIds[l.order]!)}::int[], ${lines.map((l) => l.product)}::int[], ${lines.map((l) => l.quantity)}::int[])`;
  await tx.$executeRaw`
    INSERT INTO orders (id, seller_id, status, total, reservation_id, created_at, updated_at)
    SELECT id, ${sellerId}, status::"OrderStatus", total, reservation_id, created_at, updated_at
    FROM unnest(${orderIds}::int[], ${orders.map((o) => o.status)}::text[],
      ${orders.map((o) => money(o.lines.reduce((sum, l) => sum + l.quantity * plan.products[l.product]!.priceCents, 0)))}::numeric[],
      ${reservationIds}::int[], ${orders.map((o) => iso(o.at))}::timestamptz[], ${orders.map((o) => iso(o.updatedAt))}::timestamptz[])
      AS t(id, status, total, reservation_id, created_at, updated_at)`;
  await tx.$executeRaw`
    INSERT INTO order_items (order_id, product_id, quantity, unit_price)
    SELECT * FROM unnest(${lines.map((l) => orderIds[l.order]!)}::int[], ${lines.map((l) => l.product)}::int[], ${lines.map((l) => l.quantity)}::int[],
      ${lines.map((l) => money(l.price))}::numeric[])`;

  // the catalog created each product with its final stock as one 'initial stock' movement: that
  // movement becomes the opening stock on the first day, and the history follows it
  const opened = plan.products.map((p, i) => ({ id: productIds[i]!, quantity: p.openingQuantity, at: iso(new Date(plan.start.getTime() + 5 * 3_600_000 + i * 1000)) }));
  await tx.$executeRaw`
    UPDATE stock_movements m SET delta = o.quantity, quantity_after = o.quantity, created_at = o.at
    FROM unnest(${opened.map((o) => o.id)}::int[], ${opened.map((o) => o.quantity)}::int[], ${opened.map((o) => o.at)}::timestamptz[]) AS o(id, quantity, at)
    WHERE m.product_id = o.id AND m.seller_id = ${sellerId}`;
  await tx.$executeRaw`
    UPDATE products p SET created_at = o.at
    FROM unnest(${opened.map((o) => o.id)}::int[], ${opened.map((o) => o.at)}::timestamptz[]) AS o(id, at)
    WHERE p.id = o.id AND p.seller_id = ${sellerId}`;
  const moves = plan.movements;
  await tx.$executeRaw`
    INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note, created_at)
    SELECT ${sellerId}, product_id, delta, reason::"StockMovementReason", quantity_after, note, created_at
    FROM unnest(${moves.map((m) => productIds[m.product]!)}::int[], ${moves.map((m) => m.delta)}::int[], ${moves.map((m) => m.reason)}::text[],
      ${moves.map((m) => m.quantityAfter)}::int[],
      ${moves.map((m) => (m.order !== undefined ? `order ${orderIds[m.order]}` : `purchase order ${m.purchaseOrder}`))}::text[],
      ${moves.map((m) => iso(m.at))}::timestamptz[])
      AS t(product_id, delta, reason, quantity_after, note, created_at)
    ORDER BY created_at`;
  return { orders: orders.length, movements: moves.length };
}
