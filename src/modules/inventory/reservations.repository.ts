import type { Reservation, ReservationItem } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { ReservationRecord, ReservationStatusName } from './reservation.model.js';

type Db = Database | Tx;

const withItems = { items: { orderBy: { productId: 'asc' as const }, select: { productId: true, quantity: true } } };

function toRecord(row: Reservation & { items: Pick<ReservationItem, 'productId' | 'quantity'>[] }): ReservationRecord {
  return {
    id: row.id,
    sellerId: row.sellerId,
    status: row.status,
    items: row.items,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Locks the order a reservation was made for, if any: order rows are locked before reservation rows. */
export async function lockOrderOfReservation(tx: Tx, reservationId: number): Promise<{ id: number; status: string } | null> {
  const [row] = await tx.$queryRaw<{ id: number; status: string }[]>`
    SELECT id, status::text AS status FROM orders WHERE reservation_id = ${reservationId} FOR UPDATE`;
  return row ?? null;
}

export async function findOrderIdOfReservation(db: Db, reservationId: number): Promise<number | null> {
  const row = await db.order.findUnique({ where: { reservationId }, select: { id: true } });
  return row?.id ?? null;
}

/** Cancels a locked PENDING order whose hold expired. */
export async function cancelPendingOrder(tx: Tx, orderId: number): Promise<void> {
  await tx.$executeRaw`UPDATE orders SET status = 'CANCELLED', updated_at = now() WHERE id = ${orderId} AND status = 'PENDING'`;
}

export async function findReservation(db: Db, sellerId: string, id: number): Promise<ReservationRecord | null> {
  const row = await db.reservation.findFirst({ where: { id, sellerId }, include: withItems });
  return row && toRecord(row);
}

export async function findReservations(db: Db, sellerId: string, ids: readonly number[]): Promise<ReservationRecord[]> {
  const rows = await db.reservation.findMany({ where: { sellerId, id: { in: [...ids] } }, include: withItems });
  return rows.map(toRecord);
}

export async function findReservationById(db: Db, id: number): Promise<ReservationRecord | null> {
  const row = await db.reservation.findUnique({ where: { id }, include: withItems });
  return row && toRecord(row);
}

/** A reservation read under its row lock, with what settling it needs to know. */
export interface LockedReservation extends ReservationRecord {
  /** Its expiry has passed by the database clock. */
  pastExpiry: boolean;
  /** The order it was made for, if any. */
  orderId: number | null;
}

/** Reads the seller's reservation, its items and order under a row lock held until the transaction ends, in one statement. */
export async function lockReservation(tx: Tx, sellerId: string, id: number): Promise<LockedReservation | null> {
  const [row] = await tx.$queryRaw<
    { status: ReservationStatusName; expires_at: Date; created_at: Date; updated_at: Date; past: boolean; order_id: number | null; items: ReservationRecord['items'] }[]
  >`
    SELECT r.status::text AS status, r.expires_at, r.created_at, r.updated_at, r.expires_at <= now() AS past,
      (SELECT o.id FROM orders o WHERE o.reservation_id = r.id) AS order_id,
      coalesce((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity) ORDER BY i.product_id)
                FROM reservation_items i WHERE i.reservation_id = r.id), '[]'::json) AS items
    FROM reservations r WHERE r.id = ${id} AND r.seller_id = ${sellerId} FOR UPDATE OF r`;
  if (!row) return null;
  return {
    id,
    sellerId,
    status: row.status,
    items: row.items,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    pastExpiry: row.past,
    orderId: row.order_id,
  };
}

/** True when the (locked) reservation is past its expiry by the database clock. */
export async function isPastExpiry(tx: Tx, id: number): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ past: boolean }[]>`SELECT expires_at <= now() AS past FROM reservations WHERE id = ${id}`;
  return row?.past === true;
}

/** Moves a reservation from one status to another; its new updatedAt, or null when it was not in `from`. */
export async function setReservationStatus(tx: Tx, id: number, from: ReservationStatusName, to: ReservationStatusName): Promise<Date | null> {
  const [row] = await tx.$queryRaw<{ updated_at: Date }[]>`
    UPDATE reservations SET status = ${to}::text::"ReservationStatus", updated_at = now()
    WHERE id = ${id} AND status = ${from}::text::"ReservationStatus" RETURNING updated_at`;
  return row?.updated_at ?? null;
}

/**
 * The expiry's single transition: HELD and past its expiry becomes EXPIRED. However many
 * workers race on one reservation, exactly one gets it back; the others get null.
 */
export async function expireReservationRow(tx: Tx, id: number): Promise<ReservationRecord | null> {
  const expired = await tx.$queryRaw<{ id: number }[]>`
    UPDATE reservations SET status = 'EXPIRED', updated_at = now()
    WHERE id = ${id} AND status = 'HELD' AND expires_at <= now()
    RETURNING id`;
  return expired.length === 0 ? null : findReservationById(tx, id);
}

/** HELD reservations past their expiry, soonest expired first. */
export async function findDueReservationIds(db: Db, limit: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM reservations WHERE status = 'HELD' AND expires_at <= now() ORDER BY expires_at, id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
