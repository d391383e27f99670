import { Prisma } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { ProductRecord } from '../catalog/product.model.js';
import { fromRaw, productJsonSql, type RawProduct } from '../catalog/product.repository.js';
import { appendEventRowsCtes } from '../events/events.repository.js';

export const MAX_QUANTITY = 2_147_483_647;

/**
 * Locks the seller's products with these ids, in ascending id order, and returns them in that
 * order. Every writer of several products locks through here, so two writers never wait on
 * each other's rows in opposite order.
 */
export async function lockProducts(tx: Tx, sellerId: string, ids: readonly number[]): Promise<ProductRecord[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<RawProduct[]>`
    SELECT * FROM products WHERE seller_id = ${sellerId} AND id IN (${Prisma.join([...ids])})
    ORDER BY id FOR UPDATE`;
  return rows.map(fromRaw);
}

/**
 * Moves on-hand and held units of one product in a single conditional write: it applies only
 * if afterwards 0 <= reserved <= quantity <= MAX_QUANTITY, and returns null otherwise.
 */
export async function applyStockDelta(tx: Tx, sellerId: string, id: number, quantityDelta: number, reservedDelta: number): Promise<ProductRecord | null> {
  const rows = await tx.$queryRaw<RawProduct[]>`
    UPDATE products
    SET quantity = quantity + ${quantityDelta}::int, reserved = reserved + ${reservedDelta}::int,
        version = version + 1, updated_at = now()
    WHERE id = ${id} AND seller_id = ${sellerId}
      AND reserved::bigint + ${reservedDelta}::bigint >= 0
      AND quantity::bigint + ${quantityDelta}::bigint >= reserved::bigint + ${reservedDelta}::bigint
      AND quantity::bigint + ${quantityDelta}::bigint <= ${MAX_QUANTITY}::bigint
    RETURNING *`;
  return rows[0] ? fromRaw(rows[0]) : null;
}

/** A change of one product's counters for changeStockRows: deltas of on-hand and held units. */
export interface StockDelta {
  productId: number;
  quantity: number;
  reserved: number;
}

/**
 * Applies stock deltas to a seller's products in one statement, all or nothing: locks them in
 * ascending id order, applies every delta only if each product exists (unless skipMissing) and
 * ends with 0 <= reserved <= quantity <= MAX_QUANTITY, and writes the movement of each on-hand
 * change. Returns the locked rows before, and the rows after (empty when nothing applied).
 */
export async function changeStockRows(
  tx: Tx,
  sellerId: string,
  deltas: readonly StockDelta[],
  movement: { reason: string; note: string | null } | null,
  skipMissing: boolean,
): Promise<{ before: ProductRecord[]; after: ProductRecord[] }> {
  const ids = deltas.map((d) => d.productId);
  const rows = await tx.$queryRaw<(RawProduct & { side: 'before' | 'after' })[]>`
    WITH v AS (
      SELECT * FROM unnest(${ids}::int[], ${deltas.map((d) => d.quantity)}::int[], ${deltas.map((d) => d.reserved)}::int[]) AS v(id, dq, dr)
    ), locked AS (
      SELECT p.* FROM products p WHERE p.seller_id = ${sellerId} AND p.id = ANY (${ids}::int[]) ORDER BY p.id FOR UPDATE
    ), fits AS (
      SELECT coalesce(bool_and(l.reserved::bigint + v.dr >= 0 AND l.quantity::bigint + v.dq >= l.reserved::bigint + v.dr
               AND l.quantity::bigint + v.dq <= ${MAX_QUANTITY}::bigint), false) AS ok, count(*)::int AS found
      FROM locked l JOIN v ON v.id = l.id
    ), changed AS (
      UPDATE products p SET quantity = p.quantity + v.dq, reserved = p.reserved + v.dr, version = p.version + 1, updated_at = now()
      FROM v, fits
      WHERE p.id = v.id AND p.seller_id = ${sellerId} AND fits.ok AND (fits.found = ${ids.length}::int OR ${skipMissing}::boolean)
      RETURNING p.*
    ), moved AS (
      INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note)
      SELECT c.seller_id, c.id, v.dq, ${movement?.reason ?? null}::text::"StockMovementReason", c.quantity, ${movement?.note ?? null}
      FROM changed c JOIN v ON v.id = c.id WHERE v.dq <> 0
      ORDER BY c.id
    )
    SELECT 'before' AS side, l.* FROM locked l
    UNION ALL SELECT 'after' AS side, c.* FROM changed c`;
  return {
    before: rows.filter((r) => r.side === 'before').map(fromRaw),
    after: rows.filter((r) => r.side === 'after').map(fromRaw),
  };
}

/** One reservation request of a hold batch: its items name each product once. */
export interface HoldRequestRow {
  items: readonly { productId: number; quantity: number }[];
  ttlSeconds: number;
}

/** One item of a hold batch as the database decided it (see the hold_stock migration). */
export interface HeldItemRow extends HoldDecision {
  /** The product as this item's request left it; null when the request was refused. */
  productAfter: ProductRecord | null;
}

/** What hold_stock decided for one item of a batch. */
interface HoldDecision {
  request: number;
  reservationId: number | null;
  expiresAt: Date | null;
  productId: number;
  refusal: 'NOT_FOUND' | 'INSUFFICIENT_STOCK' | null;
  availableBefore: number | null;
}

type RawHoldDecision = Pick<RawHeldItem, 'request' | 'reservation_id' | 'expires_at' | 'product_id' | 'refusal' | 'available_before'>;

const holdDecision = (r: RawHoldDecision): HoldDecision => ({
  request: r.request,
  reservationId: r.reservation_id,
  expiresAt: r.expires_at,
  productId: r.product_id,
  refusal: r.refusal,
  availableBefore: r.available_before,
});

interface RawHeldItem {
  request: number;
  reservation_id: number | null;
  expires_at: Date | null;
  product_id: number;
  refusal: 'NOT_FOUND' | 'INSUFFICIENT_STOCK' | null;
  available_before: number | null;
  reserved_after: number | null;
  version_after: number | null;
  sku: string | null;
  name: string | null;
  description: string | null;
  price: Prisma.Decimal | null;
  category: string | null;
  quantity: number | null;
  low_stock_threshold: number | null;
  created_at: Date | null;
  updated_at: Date | null;
}

/**
 * Holds stock for a batch of one seller's reservation requests in one statement: products
 * locked in ascending id order, each request all-or-nothing in the order given, one HELD
 * reservation per accepted request. The hot rows stay locked from here to the commit only.
 */
export async function holdStockRows(tx: Tx, sellerId: string, requests: readonly HoldRequestRow[]): Promise<HeldItemRow[]> {
  const items = requests.flatMap((r, request) => r.items.map((item) => ({ request, ...item })));
  const rows = await tx.$queryRaw<RawHeldItem[]>`
    SELECT * FROM hold_stock(${sellerId}, ${items.map((i) => i.request)}::int[], ${items.map((i) => i.productId)}::int[],
      ${items.map((i) => i.quantity)}::int[], ${requests.map((r) => r.ttlSeconds)}::int[])`;
  return rows.map((r) => ({
    ...holdDecision(r),
    productAfter:
      r.reserved_after === null || r.name === null
        ? null
        : fromRaw({
            id: r.product_id,
            seller_id: sellerId,
            sku: r.sku,
            name: r.name,
            description: r.description,
            price: r.price!,
            category: r.category!,
            quantity: r.quantity!,
            reserved: r.reserved_after ?? 0,
            low_stock_threshold: r.low_stock_threshold!,
            version: r.version_after ?? 0,
            created_at: r.created_at!,
            updated_at: r.updated_at!,
          }),
  }));
}

/** One item of a hold batch decided by holdStockWithEvents: what its request's answer needs. */
export interface BatchHeldItemRow extends HoldDecision {
  /** When the batch wrote (the reservations' createdAt and updatedAt). */
  at: Date;
}

/**
 * holdStockRows and the events of every accepted request in one statement, which is its own
 * transaction (run it through runOneStatement): hold_stock, then per accepted item, in item
 * order, the ProductUpdated event with the product as that request left it, and a
 * LowStockWarning when that request took it into low stock (productChangeEvents' payloads, built
 * by the database), appended last. One round trip: the hot rows stay locked for this statement
 * and its commit only, and the events never cross the network.
 */
export async function holdStockWithEvents(db: Database, sellerId: string, requests: readonly HoldRequestRow[]): Promise<BatchHeldItemRow[]> {
  const items = requests.flatMap((r, request) => r.items.map((item) => ({ request, ...item })));
  const rows = await db.$queryRaw<(RawHoldDecision & { at: Date })[]>`
    WITH held AS MATERIALIZED (
      SELECT h.request, h.reservation_id, h.expires_at, h.product_id, h.refusal, h.available_before, h.item,
        h.product_id AS id, h.sku, h.name, h.description, h.price, h.category, h.quantity, h.reserved_after AS reserved,
        h.low_stock_threshold, h.version_after AS version, h.created_at, h.updated_at
      FROM hold_stock(${sellerId}, ${items.map((i) => i.request)}::int[], ${items.map((i) => i.productId)}::int[],
        ${items.map((i) => i.quantity)}::int[], ${requests.map((r) => r.ttlSeconds)}::int[])
        WITH ORDINALITY AS h(request, reservation_id, expires_at, product_id, refusal, available_before, reserved_after, version_after,
          sku, name, description, price, category, quantity, low_stock_threshold, created_at, updated_at, item)
    ), ${appendEventRowsCtes(
      sellerId,
      Prisma.sql`
        SELECT h.item * 2 AS ord, 'ProductUpdated' AS type, h.product_id,
          jsonb_build_object('sellerId', ${sellerId}::text, 'productId', h.product_id, 'changes', jsonb_build_object('reserved', h.reserved),
            'product', ${productJsonSql('h')}) AS payload
        FROM held h WHERE h.reservation_id IS NOT NULL
        UNION ALL
        SELECT h.item * 2 + 1, 'LowStockWarning', h.product_id,
          jsonb_build_object('sellerId', ${sellerId}::text, 'productId', h.product_id, 'currentQuantity', h.quantity - h.reserved, 'threshold', h.low_stock_threshold)
        FROM held h
        WHERE h.reservation_id IS NOT NULL AND h.available_before > h.low_stock_threshold AND h.quantity - h.reserved <= h.low_stock_threshold`,
    )}
    SELECT h.request, h.reservation_id, h.expires_at, h.product_id, h.refusal, h.available_before,
      coalesce(h.updated_at, now()::timestamptz(3)) AS at
    FROM held h LEFT JOIN (SELECT count(*) AS n FROM appended) a ON true
    ORDER BY h.item`;
  return rows.map((r) => ({ ...holdDecision(r), at: r.at }));
}
