import type { Reservation, ReservationItem } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { ReservationItemRecord, ReservationRecord, ReservationStatusName } from './reservation.model.js';

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

/** A new HELD reservation expiring ttlSeconds from now by the database clock, which every expiry check uses. */
export async function insertReservation(tx: Tx, sellerId: string, ttlSeconds: number, items: ReservationItemRecord[]): Promise<ReservationRecord> {
  const [row] = await tx.$queryRaw<{ id: number; expires_at: Date; created_at: Date; updated_at: Date }[]>`
    INSERT INTO reservations (seller_id, status, expires_at)
    VALUES (${sellerId}, 'HELD', now() + make_interval(secs => ${ttlSeconds}::int))
    RETURNING id, expires_at, created_at, updated_at`;
  const { id, expires_at: expiresAt, created_at: createdAt, updated_at: updatedAt } = row!;
  await tx.reservationItem.createMany({ data: items.map((item) => ({ reservationId: id, ...item })) });
  const sorted = [...items].sort((a, b) => a.productId - b.productId);
  return { id, sellerId, status: 'HELD', items: sorted, expiresAt, createdAt, updatedAt };
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

/** Reads the seller's reservation under a row lock held until the transaction ends. */
export async function lockReservation(tx: Tx, sellerId: string, id: number): Promise<ReservationRecord | null> {
  const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM reservations WHERE id = ${id} AND seller_id = ${sellerId} FOR UPDATE`;
  return locked.length === 0 ? null : findReservationById(tx, id);
}

/** True when the (locked) reservation is past its expiry by the database clock. */
export async function isPastExpiry(tx: Tx, id: number): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ past: boolean }[]>`SELECT expires_at <= now() AS past FROM reservations WHERE id = ${id}`;
  return row?.past === true;
}

/** Moves a reservation from one status to another; false when it was not in `from`. */
export async function setReservationStatus(tx: Tx, id: number, from: ReservationStatusName, to: ReservationStatusName): Promise<boolean> {
  const { count } = await tx.reservation.updateMany({ where: { id, status: from }, data: { status: to, updatedAt: new Date() } });
  return count === 1;
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
