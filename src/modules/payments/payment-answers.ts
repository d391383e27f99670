import type { Database, Tx } from '../../infra/prisma.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { runUnitOfWork, type PendingEvent } from '../../infra/unit-of-work.js';
import { releaseUnits } from '../inventory/held-stock.js';
import { cancelPendingOrder, expireReservationRow, lockReservation } from '../inventory/reservations.repository.js';
import type { NotificationOutbox } from '../notifications/notification-outbox.js';
import type { OrderRecord } from '../orders/order.model.js';
import { moveOrder, returnOrderStock, sellOrderStock } from '../orders/order-transitions.js';
import { lockOrder } from '../orders/orders.repository.js';
import { refundCancelledOrder } from './cancelled-order-refunds.js';
import type { PaymentRecord, PaymentStatusName, RefundRecord } from './payment.model.js';
import type { ProviderPaymentResult, ProviderRefundResult } from './payment-provider.js';
import * as payments from './payments.repository.js';

// The database side of a provider's answer: each applied in one unit of work with what it causes,
// under the order's lock (then reservation, products, seller, as everywhere). Another request that
// applied the same answer first wins; the conditional status updates make the later one a no-op.

const LATE_PAYMENT_REASON = 'The order was cancelled before its payment completed';

/**
 * Records the answer for a payment still in `from`. A success fully paying a PENDING order
 * confirms it (stock sold); a success on an order that was cancelled meanwhile, or whose hold
 * ran out, is refunded: the ids of the refunds to complete are returned.
 */
export async function applyPaymentAnswer(
  db: Database,
  outbox: NotificationOutbox,
  payment: PaymentRecord,
  from: PaymentStatusName,
  answer: ProviderPaymentResult,
): Promise<number[]> {
  const { sellerId } = payment;
  const { value } = await runUnitOfWork(db, async (tx): Promise<{ value: number[]; events: PendingEvent[] }> => {
    let order = (await lockOrder(tx, sellerId, payment.orderId))!;
    const failureCode = answer.status === 'FAILED' ? answer.failureCode : null;
    if (!(await payments.settlePayment(tx, payment.id, from, { status: answer.status, providerRef: answer.providerRef, failureCode }))) return { value: [], events: [] };
    const amount = payment.amount.toFixed(2);
    if (answer.status === 'FAILED') await outbox.notify(tx, sellerId, order.id, 'payment_failed', { amount, failureCode: answer.failureCode });
    if (answer.status !== 'SUCCEEDED') return { value: [], events: [] };
    await outbox.notify(tx, sellerId, order.id, 'payment_succeeded', { amount });
    const events: PendingEvent[] = [];
    if (order.status === 'PENDING') {
      const expiry = await expireIfDue(tx, order);
      if (expiry.expired) {
        events.push(...expiry.events);
        order = { ...order, status: 'CANCELLED' };
      }
    }
    if (order.status === 'CANCELLED') return { value: await refundCancelledOrder(tx, sellerId, order.id, LATE_PAYMENT_REASON), events };
    const sums = await payments.orderSums(tx, order.id);
    if (order.status === 'PENDING' && sums.paid.greaterThanOrEqualTo(order.total)) {
      events.push(...(await sellOrderStock(tx, order)));
      await moveOrder(tx, outbox, order, 'CONFIRMED');
    }
    return { value: [], events };
  });
  return value;
}

/** Records the answer for a PENDING refund; a CONFIRMED order whose payments are all given back is cancelled and its stock returned. */
export async function applyRefundAnswer(
  db: Database,
  outbox: NotificationOutbox,
  refund: RefundRecord & { sellerId: string },
  payment: PaymentRecord,
  answer: ProviderRefundResult,
): Promise<void> {
  const { sellerId } = refund;
  await runUnitOfWork(db, async (tx): Promise<{ value: null; events: PendingEvent[] }> => {
    const order = (await lockOrder(tx, sellerId, payment.orderId))!;
    const succeeded = answer.status === 'SUCCEEDED';
    if (!(await payments.settleRefund(tx, refund.id, answer.status, succeeded ? answer.providerRef : null)) || !succeeded) return { value: null, events: [] };
    await outbox.notify(tx, sellerId, order.id, 'refund_issued', { amount: refund.amount.toFixed(2) });
    const sums = await payments.orderSums(tx, order.id);
    if (order.status !== 'CONFIRMED' || sums.refunded.lessThan(sums.paid)) return { value: null, events: [] };
    const events = await returnOrderStock(tx, order, `order ${toGlobalId('Order', order.id)} refunded`);
    await moveOrder(tx, outbox, order, 'CANCELLED');
    return { value: null, events };
  });
}

/**
 * A PENDING order whose hold ran out but that the expiry worker has not reached yet is
 * expired here, as the worker would (it takes the same locks in the same order).
 */
async function expireIfDue(tx: Tx, order: OrderRecord): Promise<{ expired: boolean; events: PendingEvent[] }> {
  const reservation = await lockReservation(tx, order.sellerId, order.reservationId);
  if (!reservation || reservation.status !== 'HELD' || !reservation.pastExpiry) return { expired: false, events: [] };
  const expired = (await expireReservationRow(tx, reservation.id))!;
  await cancelPendingOrder(tx, order.id);
  return { expired: true, events: await releaseUnits(tx, expired) };
}
