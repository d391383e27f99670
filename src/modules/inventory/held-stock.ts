import { UserErrorCode, UserErrorsThrown, userError } from '../../graphql/user-errors.js';
import type { Tx } from '../../infra/prisma.js';
import type { PendingEvent } from '../../infra/unit-of-work.js';
import type { ReservationRecord } from './reservation.model.js';
import { setReservationStatus, type LockedReservation } from './reservations.repository.js';
import { changeStock, type StockChange } from './stock-change.js';
import { toGlobalId } from '../../graphql/global-id.js';

// The steps of a reservation's life after its hold (stock-holds.ts), inside the caller's unit of
// work; each returns the events to append. Lock order everywhere: order, reservation, products
// (ascending id), seller (by the unit of work's event append, last).

/** Refuses a locked reservation that is not HELD, or is HELD past its expiry (the worker releases those). */
export function assertHeld(reservation: LockedReservation, field = ['id']): void {
  if (reservation.status === 'EXPIRED' || (reservation.status === 'HELD' && reservation.pastExpiry)) {
    throw new UserErrorsThrown([userError(UserErrorCode.EXPIRED, `Reservation ${toGlobalId('Reservation', reservation.id)} has expired`, field)]);
  }
  if (reservation.status !== 'HELD') {
    throw new UserErrorsThrown([userError(UserErrorCode.INVALID_TRANSITION, `Reservation ${toGlobalId('Reservation', reservation.id)} is ${reservation.status}, not HELD`, field)]);
  }
}

/** A reservation that left HELD: its new status and updatedAt, and the events of its stock change. */
export interface SettledHold {
  status: 'COMMITTED' | 'RELEASED';
  updatedAt: Date;
  events: PendingEvent[];
}

/** HELD -> COMMITTED for a locked reservation: its units leave the shelf as SOLD movements. */
export async function sellHeldStock(tx: Tx, reservation: ReservationRecord, note: string): Promise<SettledHold> {
  const updatedAt = await transition(tx, reservation, 'COMMITTED');
  const { events } = await changeStock(tx, reservation.sellerId, settle(reservation, -1), { reason: 'SOLD', note });
  return { status: 'COMMITTED', updatedAt, events };
}

/** HELD -> RELEASED for a locked reservation: its units become available again. */
export async function releaseHeldStock(tx: Tx, reservation: ReservationRecord): Promise<SettledHold> {
  const updatedAt = await transition(tx, reservation, 'RELEASED');
  return { status: 'RELEASED', updatedAt, events: await releaseUnits(tx, reservation) };
}

/** Gives back the units of a reservation that just left HELD (by expiry or release). */
export async function releaseUnits(tx: Tx, reservation: ReservationRecord): Promise<PendingEvent[]> {
  return (await changeStock(tx, reservation.sellerId, settle(reservation, 0))).events;
}

/** Puts sold units back on the shelf as RETURNED movements; products deleted since are passed over. */
export async function returnSoldStock(
  tx: Tx,
  sellerId: string,
  items: readonly { productId: number; quantity: number }[],
  note: string,
): Promise<PendingEvent[]> {
  const changes = items.map((item): StockChange => ({ productId: item.productId, quantity: item.quantity, productField: ['id'], amountField: ['id'] }));
  return (await changeStock(tx, sellerId, changes, { reason: 'RETURNED', note }, { skipMissing: true })).events;
}

async function transition(tx: Tx, reservation: ReservationRecord, to: 'COMMITTED' | 'RELEASED'): Promise<Date> {
  const updatedAt = await setReservationStatus(tx, reservation.id, 'HELD', to);
  if (!updatedAt) throw new Error(`reservation ${reservation.id} was not HELD under its lock`);
  return updatedAt;
}

/** The changes that end a hold: held units go down, and on-hand units by `quantitySign` times as much. */
function settle(reservation: ReservationRecord, quantitySign: -1 | 0): StockChange[] {
  return reservation.items.map((item) => ({
    productId: item.productId,
    reserved: -item.quantity,
    quantity: quantitySign * item.quantity,
    productField: ['id'],
    amountField: ['id'],
  }));
}
