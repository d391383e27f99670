import type { Tx } from '../../infra/prisma.js';
import { toGlobalId } from '../../graphql/global-id.js';
import type { PendingEvent } from '../../infra/unit-of-work.js';
import { assertHeld, releaseHeldStock, returnSoldStock, sellHeldStock } from '../inventory/held-stock.js';
import { lockReservation } from '../inventory/reservations.repository.js';
import type { NotificationOutbox } from '../notifications/notification-outbox.js';
import type { NotificationTemplate } from '../notifications/notification.model.js';
import type { OrderRecord, OrderStatusName } from './order.model.js';
import { setOrderStatus } from './orders.repository.js';

// The stock side of each move of a locked order, inside the caller's unit of work, shared by the
// order mutations and the payments that confirm or cancel orders. Lock order: order, reservation,
// products (ascending id), seller (the unit of work's event append, last).

const TOLD_ON: Partial<Record<OrderStatusName, NotificationTemplate>> = {
  CONFIRMED: 'order_confirmation',
  SHIPPED: 'order_shipped',
  DELIVERED: 'order_delivered',
};

/** PENDING -> CONFIRMED: the held stock is sold. Throws EXPIRED when the hold has run out. */
export async function sellOrderStock(tx: Tx, order: OrderRecord): Promise<PendingEvent[]> {
  const reservation = (await lockReservation(tx, order.sellerId, order.reservationId))!;
  assertHeld(reservation);
  return (await sellHeldStock(tx, reservation, `order ${toGlobalId('Order', order.id)}`)).events;
}

/** PENDING: the held stock is released; CONFIRMED: the sold stock comes back as RETURNED movements. */
export async function returnOrderStock(tx: Tx, order: OrderRecord, note: string): Promise<PendingEvent[]> {
  if (order.status === 'PENDING') {
    // a PENDING order's reservation is HELD: expiry cancels the order in the same transaction
    const reservation = (await lockReservation(tx, order.sellerId, order.reservationId))!;
    return (await releaseHeldStock(tx, reservation)).events;
  }
  return returnSoldStock(tx, order.sellerId, order.items, note);
}

/** Moves the locked order and queues what its customer is told about the move. */
export async function moveOrder(tx: Tx, outbox: NotificationOutbox, order: OrderRecord, next: OrderStatusName): Promise<void> {
  if (!(await setOrderStatus(tx, order.id, order.status, next))) throw new Error(`order ${order.id} changed under its lock`);
  const template = TOLD_ON[next];
  if (template) await outbox.notify(tx, order.sellerId, order.id, template);
}
