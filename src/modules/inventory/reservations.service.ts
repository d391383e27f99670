import { UserErrorCode, UserErrorsThrown, userError, withUserErrors, type UserError } from '../../graphql/user-errors.js';
import { inTransaction, type Database, type Tx } from '../../infra/prisma.js';
import { parseSerialId } from '../../graphql/ids.js';
import { checkIdempotencyKey, once } from '../idempotency/idempotency.js';
import { findOrderIdOfReservation, lockOrderOfReservation, setOrderStatus } from '../orders/orders.repository.js';
import { assertHeld, holdStock, releaseHeldStock, releaseUnits, sellHeldStock } from './held-stock.js';
import type { ReservationRecord } from './reservation.model.js';
import * as reservations from './reservations.repository.js';
import { checkStockItems, checkTtl, normalizedItems, type ItemInput } from './stock-items.js';

export type ReservationResult = { reservation: ReservationRecord | null; userErrors: UserError[] };

/** Schedules the release of a reservation at its expiry; best effort, the worker's sweep catches what it misses. */
export interface ExpirySchedule {
  schedule(reservation: Pick<ReservationRecord, 'id' | 'expiresAt'>): void;
}

export interface ReserveStockArgs {
  items: ItemInput[];
  ttlSeconds?: number | null;
  idempotencyKey?: string | null;
}

/** What expire() did: released the reservation, found it not yet due (until dueAt), or found it settled. */
export type ExpiryOutcome = { expired: true } | { expired: false; dueAt?: Date };

const notFound = () => userError(UserErrorCode.NOT_FOUND, 'Reservation not found', ['id']);

export class ReservationsService {
  constructor(
    private readonly db: Database,
    private readonly expiry: ExpirySchedule,
  ) {}

  async reservation(sellerId: string, id: string): Promise<ReservationRecord | null> {
    const reservationId = parseSerialId(id);
    return reservationId === null ? null : reservations.findReservation(this.db, sellerId, reservationId);
  }

  reservationsByIds(sellerId: string, ids: readonly number[]): Promise<ReservationRecord[]> {
    return reservations.findReservations(this.db, sellerId, ids);
  }

  async reserveStock(sellerId: string, args: ReserveStockArgs): Promise<ReservationResult> {
    const items = checkStockItems(args.items);
    const ttl = checkTtl(args.ttlSeconds);
    const userErrors = [...(items.ok ? [] : items.errors), ...(ttl.ok ? [] : ttl.errors), ...checkIdempotencyKey(args.idempotencyKey)];
    if (!items.ok || !ttl.ok || userErrors.length > 0) return { reservation: null, userErrors };

    const result = await withUserErrors(() =>
      inTransaction(this.db, async (tx) => {
        const request = { sellerId, operation: 'reserveStock' as const, key: args.idempotencyKey, input: { items: normalizedItems(items.value), ttl: ttl.value } };
        let held: ReservationRecord | undefined;
        const { id } = await once(tx, request, async () => {
          held = (await holdStock(tx, sellerId, items.value, ttl.value)).reservation;
          return held.id;
        });
        return { reservation: held ?? (await reservations.findReservationById(tx, id))!, held };
      }),
    );
    if (!result.ok) return { reservation: null, userErrors: result.userErrors };
    if (result.value.held) this.expiry.schedule(result.value.held);
    return { reservation: result.value.reservation, userErrors: [] };
  }

  /** HELD -> COMMITTED: the held units are sold. */
  commitReservation(sellerId: string, id: string): Promise<ReservationResult> {
    return this.settle(sellerId, id, (tx, reservation) => sellHeldStock(tx, reservation, `reservation ${reservation.id}`));
  }

  /** HELD -> RELEASED: the held units are available again. */
  releaseReservation(sellerId: string, id: string): Promise<ReservationResult> {
    return this.settle(sellerId, id, releaseHeldStock);
  }

  /**
   * HELD and past its expiry -> EXPIRED, releasing the units and cancelling the PENDING order it
   * was made for. Safe to run any number of times, concurrently: one run releases, the others
   * find it settled (or not yet due).
   */
  async expire(reservationId: number): Promise<ExpiryOutcome> {
    return inTransaction(this.db, async (tx) => {
      const order = await lockOrderOfReservation(tx, reservationId);
      const reservation = await reservations.expireReservationRow(tx, reservationId);
      if (!reservation) {
        const current = await reservations.findReservationById(tx, reservationId);
        return current?.status === 'HELD' ? { expired: false, dueAt: current.expiresAt } : { expired: false };
      }
      await releaseUnits(tx, reservation);
      if (order?.status === 'PENDING') await setOrderStatus(tx, order.id, 'PENDING', 'CANCELLED');
      return { expired: true };
    });
  }

  /** Expires up to `limit` reservations that are past due: how many were due, and how many this call released. */
  async expireDue(limit = 100): Promise<{ due: number; released: number }> {
    const due = await reservations.findDueReservationIds(this.db, limit);
    let released = 0;
    for (const id of due) if ((await this.expire(id)).expired) released++;
    return { due: due.length, released };
  }

  private async settle(sellerId: string, id: string, apply: (tx: Tx, reservation: ReservationRecord) => Promise<void>): Promise<ReservationResult> {
    const reservationId = parseSerialId(id);
    if (reservationId === null) return { reservation: null, userErrors: [notFound()] };
    const result = await withUserErrors(() =>
      inTransaction(this.db, async (tx) => {
        const reservation = await reservations.lockReservation(tx, sellerId, reservationId);
        if (!reservation) throw new UserErrorsThrown([notFound()]);
        const orderId = await findOrderIdOfReservation(tx, reservationId);
        if (orderId !== null) {
          throw new UserErrorsThrown([
            userError(UserErrorCode.INVALID_TRANSITION, `Reservation ${reservationId} belongs to order ${orderId}; confirm or cancel the order instead`, ['id']),
          ]);
        }
        await assertHeld(tx, reservation);
        await apply(tx, reservation);
        return (await reservations.findReservationById(tx, reservationId))!;
      }),
    );
    return result.ok ? { reservation: result.value, userErrors: [] } : { reservation: null, userErrors: result.userErrors };
  }
}
