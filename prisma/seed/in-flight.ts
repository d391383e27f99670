// Checkouts in progress: reservations and PENDING orders holding stock right now, written the way
// reserveStock and placeOrder write them (the same hold statement, order rows and events) and
// with their expiry jobs scheduled.
import { Decimal } from 'decimal.js';
import type { Database } from '../../src/infra/prisma.js';
import { runUnitOfWork } from '../../src/infra/unit-of-work.js';
import { applyHolds, type HoldRequest } from '../../src/modules/inventory/stock-holds.js';
import type { ReservationRecord } from '../../src/modules/inventory/reservation.model.js';
import type { ExpirySchedule } from '../../src/modules/inventory/reservations.service.js';
import { insertOrder } from '../../src/modules/orders/orders.repository.js';
import { Random } from './random.js';

export const HOLDS_IN_FLIGHT = 5;
export const PENDING_ORDERS = 4;

/** Products to hold from: id and units on hand, plenty of them (never the ones meant to run low). */
export async function placeInFlight(db: Database, expiry: ExpirySchedule, sellerId: string, stocked: { id: number; quantity: number }[]): Promise<{ holds: number; orders: number }> {
  const random = Random.of(`${sellerId} in flight`);
  const request = (ttlHours: [number, number]): HoldRequest => {
    const products = random.shuffle(stocked).slice(0, random.int(1, 2));
    return { sellerId, ttlSeconds: random.int(ttlHours[0], ttlHours[1]) * 3600, items: products.map((p) => ({ productId: p.id, quantity: random.int(1, 2), at: ['seed'] })) };
  };
  const held: ReservationRecord[] = [];
  const holds = Array.from({ length: HOLDS_IN_FLIGHT }, () => request([2, 20]));
  const { value: outcomes } = await runUnitOfWork(db, (tx) => applyHolds(tx, sellerId, holds));
  for (const outcome of outcomes) {
    if (!outcome.held) throw new Error(`seed: a hold was refused: ${outcome.userErrors.map((e) => e.message).join('; ')}`);
    held.push(outcome.reservation);
  }
  for (let i = 0; i < PENDING_ORDERS; i++) {
    const hold = request([6, 24]);
    const { value } = await runUnitOfWork(db, async (tx) => {
      const applied = await applyHolds(tx, sellerId, [hold]);
      const outcome = applied.value[0]!;
      if (!outcome.held) throw new Error(`seed: an order's hold was refused: ${outcome.userErrors.map((e) => e.message).join('; ')}`);
      const lines = hold.items.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPrice: outcome.products.get(item.productId)!.price }));
      const total = lines.reduce((sum, line) => sum.plus(line.unitPrice.times(line.quantity)), new Decimal(0));
      await insertOrder(tx, sellerId, outcome.reservation.id, lines, total, null);
      return { value: outcome.reservation, events: applied.events };
    });
    held.push(value);
  }
  for (const reservation of held) expiry.schedule(reservation);
  return { holds: HOLDS_IN_FLIGHT, orders: PENDING_ORDERS };
}
