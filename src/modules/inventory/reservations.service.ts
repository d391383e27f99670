import { UserErrorCode, UserErrorsThrown, userError, withUserErrors, type UserError } from '../../graphql/user-errors.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { runUnitOfWork, type PendingEvent } from '../../infra/unit-of-work.js';
import { serialKeyOfInput, toGlobalId } from '../../graphql/global-id.js';
import { checkIdempotencyKey, once } from '../idempotency/idempotency.js';
import { assertHeld, releaseHeldStock, releaseUnits, sellHeldStock, type SettledHold } from './held-stock.js';
import { HoldBatches, type BatchWindow } from './hold-batches.js';
import type { ReservationRecord } from './reservation.model.js';
import * as reservations from './reservations.repository.js';
import { applyHolds, holdBatch, type BatchHoldOutcome, type HoldRequest } from './stock-holds.js';
import { checkStockItems, checkTtl, normalizedItems, type ItemInput } from './stock-items.js';
import { refundCancelledOrder, type RefundSettlement } from '../payments/cancelled-order-refunds.js';

export type ReservationResult = { reservation: ReservationRecord | null; userErrors: UserError[] };

/** Schedules the release of reservations at their expiry; best effort, the worker's sweep catches what it misses. */
export interface ExpirySchedule {
  schedule(reservation: Pick<ReservationRecord, 'id' | 'expiresAt'>): void;
  /** schedule for many at once (a hold batch): one round trip to the queue. */
  scheduleAll(reservations: readonly Pick<ReservationRecord, 'id' | 'expiresAt'>[]): void;
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
  private readonly holds: HoldBatches<HoldRequest, BatchHoldOutcome>;

  constructor(
    private readonly db: Database,
    private readonly expiry: ExpirySchedule,
    batchWindow: BatchWindow = { windowMs: 1, max: 500 },
    private readonly refunds?: RefundSettlement,
  ) {
    this.holds = new HoldBatches((sellerId, requests) => this.holdBatch(sellerId, requests), batchWindow);
  }

  async reservation(sellerId: string, id: string): Promise<ReservationRecord | null> {
    return reservations.findReservation(this.db, sellerId, serialKeyOfInput('Reservation', id, 'id'));
  }

  reservationsByIds(sellerId: string, ids: readonly number[]): Promise<ReservationRecord[]> {
    return reservations.findReservations(this.db, sellerId, ids);
  }

  async reserveStock(sellerId: string, args: ReserveStockArgs): Promise<ReservationResult> {
    const items = checkStockItems(args.items);
    const ttl = checkTtl(args.ttlSeconds);
    const userErrors = [...(items.ok ? [] : items.errors), ...(ttl.ok ? [] : ttl.errors), ...checkIdempotencyKey(args.idempotencyKey)];
    if (!items.ok || !ttl.ok || userErrors.length > 0) return { reservation: null, userErrors };

    const hold: HoldRequest = { sellerId, items: items.value, ttlSeconds: ttl.value };
    if (args.idempotencyKey == null) {
      // without a key, concurrent holds of the seller share one transaction (hot products)
      const outcome = await this.holds.submit(sellerId, hold);
      return outcome.held ? { reservation: outcome.reservation, userErrors: [] } : { reservation: null, userErrors: outcome.userErrors };
    }
    const key = { sellerId, operation: 'reserveStock' as const, key: args.idempotencyKey, input: { items: normalizedItems(items.value), ttl: ttl.value } };
    const result = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        let held: ReservationRecord | undefined;
        let events: PendingEvent[] = [];
        const { id } = await once(tx, key, async () => {
          const applied = await applyHolds(tx, sellerId, [hold]);
          const outcome = applied.value[0]!;
          if (!outcome.held) throw new UserErrorsThrown(outcome.userErrors);
          events = applied.events;
          held = outcome.reservation;
          return held.id;
        });
        return { value: { reservation: held ?? (await reservations.findReservationById(tx, id))!, held }, events };
      }),
    );
    if (!result.ok) return { reservation: null, userErrors: result.userErrors };
    if (result.value.value.held) this.expiry.schedule(result.value.value.held);
    return { reservation: result.value.value.reservation, userErrors: [] };
  }

  /** One batch of a seller's holds in one statement; each request gets its own outcome. */
  private async holdBatch(sellerId: string, requests: HoldRequest[]): Promise<BatchHoldOutcome[]> {
    const outcomes = await holdBatch(this.db, sellerId, requests);
    this.expiry.scheduleAll(outcomes.flatMap((o) => (o.held ? [o.reservation] : [])));
    return outcomes;
  }

  /** HELD -> COMMITTED: the held units are sold. */
  commitReservation(sellerId: string, id: string): Promise<ReservationResult> {
    return this.settle(sellerId, id, (tx, reservation) => sellHeldStock(tx, reservation, `reservation ${toGlobalId('Reservation', reservation.id)}`));
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
    let refundIds: number[] = [];
    const { value } = await runUnitOfWork(this.db, async (tx): Promise<{ value: ExpiryOutcome; events: PendingEvent[] }> => {
      const order = await reservations.lockOrderOfReservation(tx, reservationId);
      const reservation = await reservations.expireReservationRow(tx, reservationId);
      if (!reservation) {
        const current = await reservations.findReservationById(tx, reservationId);
        return { value: current?.status === 'HELD' ? { expired: false, dueAt: current.expiresAt } : { expired: false }, events: [] };
      }
      if (order?.status === 'PENDING') {
        await reservations.cancelPendingOrder(tx, order.id);
        // a part already paid goes back: the order will never be fully paid now
        refundIds = await refundCancelledOrder(tx, reservation.sellerId, order.id, 'The order expired before it was fully paid');
      }
      return { value: { expired: true }, events: await releaseUnits(tx, reservation) };
    });
    if (refundIds.length > 0) await this.refunds?.settle(refundIds);
    return value;
  }

  /** Expires up to `limit` reservations that are past due: how many were due, and how many this call released. */
  async expireDue(limit = 100): Promise<{ due: number; released: number }> {
    const due = await reservations.findDueReservationIds(this.db, limit);
    let released = 0;
    for (const id of due) if ((await this.expire(id)).expired) released++;
    return { due: due.length, released };
  }

  private async settle(sellerId: string, id: string, apply: (tx: Tx, reservation: ReservationRecord) => Promise<SettledHold>): Promise<ReservationResult> {
    const reservationId = serialKeyOfInput('Reservation', id, 'id');
    const result = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        const reservation = await reservations.lockReservation(tx, sellerId, reservationId);
        if (!reservation) throw new UserErrorsThrown([notFound()]);
        const { orderId } = reservation;
        if (orderId !== null) {
          throw new UserErrorsThrown([
            userError(UserErrorCode.INVALID_TRANSITION, `Reservation ${toGlobalId('Reservation', reservationId)} belongs to order ${toGlobalId('Order', orderId)}; confirm or cancel the order instead`, ['id']),
          ]);
        }
        assertHeld(reservation);
        const { status, updatedAt, events } = await apply(tx, reservation);
        const { pastExpiry: _past, orderId: _order, ...record } = reservation;
        return { value: { ...record, status, updatedAt }, events };
      }),
    );
    return result.ok ? { reservation: result.value.value, userErrors: [] } : { reservation: null, userErrors: result.userErrors };
  }
}
