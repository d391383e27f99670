import type { Tx } from '../../infra/prisma.js';
import { insertRefund, paymentsOfOrders } from './payments.repository.js';

/** Completes refunds that were written PENDING: asks the provider and applies its answers. */
export interface RefundSettlement {
  settle(refundIds: readonly number[]): Promise<void>;
}

/**
 * In the transaction that cancels the (locked) order: a PENDING refund of what each of its
 * succeeded payments has left, so a cancelled order keeps no money, and its payments awaiting
 * the customer's action are CANCELED (confirmPayment refuses them). The provider is asked
 * after the commit (RefundSettlement); a refund left PENDING by a crash is completed by the
 * worker's payment recovery. A payment still PENDING at the provider is refunded when its
 * success arrives.
 */
export async function refundCancelledOrder(tx: Tx, sellerId: string, orderId: number, reason: string): Promise<number[]> {
  await tx.payment.updateMany({ where: { orderId, sellerId, status: 'REQUIRES_ACTION' }, data: { status: 'CANCELED', updatedAt: new Date() } });
  const ids: number[] = [];
  for (const payment of await paymentsOfOrders(tx, sellerId, [orderId])) {
    if (payment.status !== 'SUCCEEDED') continue;
    const left = payment.refunds.filter((r) => r.status !== 'FAILED').reduce((rest, r) => rest.minus(r.amount), payment.amount);
    if (left.greaterThan(0)) ids.push(await insertRefund(tx, { sellerId, paymentId: payment.id, amount: left, reason }));
  }
  return ids;
}
