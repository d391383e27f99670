import { Decimal } from 'decimal.js';
import type { Payment, Refund } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { PaymentRecord, PaymentStatusName, RefundRecord } from './payment.model.js';

type Db = Database | Tx;

const decimal = (value: { toString(): string }) => new Decimal(value.toString());

function toRefund(row: Refund): RefundRecord {
  return { id: row.id, paymentId: row.paymentId, amount: decimal(row.amount), reason: row.reason, status: row.status, createdAt: row.createdAt };
}

function toRecord(row: Payment & { refunds: Refund[] }): PaymentRecord {
  return {
    id: row.id,
    sellerId: row.sellerId,
    orderId: row.orderId,
    amount: decimal(row.amount),
    currency: row.currency,
    status: row.status,
    provider: row.provider,
    paymentMethod: row.paymentMethod,
    providerRef: row.providerRef,
    failureCode: row.failureCode,
    createdAt: row.createdAt,
    refunds: row.refunds.map(toRefund),
  };
}

const withRefunds = { refunds: { orderBy: { id: 'asc' as const } } };

export async function insertPayment(
  tx: Tx,
  data: { sellerId: string; orderId: number; amount: Decimal; currency: string; provider: string; paymentMethod: string },
): Promise<number> {
  const row = await tx.payment.create({ data: { ...data, amount: data.amount.toFixed(2) }, select: { id: true } });
  return row.id;
}

export async function findPayment(db: Db, sellerId: string, id: number): Promise<PaymentRecord | null> {
  const row = await db.payment.findFirst({ where: { id, sellerId }, include: withRefunds });
  return row && toRecord(row);
}

/** Reads the payment under a row lock; lock its order first. */
export async function lockPayment(tx: Tx, sellerId: string, id: number): Promise<PaymentRecord | null> {
  const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM payments WHERE id = ${id} AND seller_id = ${sellerId} FOR UPDATE`;
  return locked.length === 0 ? null : findPayment(tx, sellerId, id);
}

export async function findPayments(db: Db, sellerId: string, ids: readonly number[]): Promise<PaymentRecord[]> {
  const rows = await db.payment.findMany({ where: { sellerId, id: { in: [...ids] } }, include: withRefunds });
  return rows.map(toRecord);
}

/** The payments of the seller's orders, oldest first, with their refunds. */
export async function paymentsOfOrders(db: Db, sellerId: string, orderIds: readonly number[]): Promise<PaymentRecord[]> {
  const rows = await db.payment.findMany({ where: { sellerId, orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' }, include: withRefunds });
  return rows.map(toRecord);
}

/** Records the provider's answer; false when the payment had already left `from` (another request applied it). */
export async function settlePayment(
  tx: Tx,
  id: number,
  from: PaymentStatusName,
  to: { status: PaymentStatusName; providerRef: string | null; failureCode: string | null },
): Promise<boolean> {
  const { count } = await tx.payment.updateMany({ where: { id, status: from }, data: { ...to, updatedAt: new Date() } });
  return count === 1;
}

/**
 * Of an order: `committed` counts payments that may still bring money in (PENDING,
 * REQUIRES_ACTION) with those that did, so two payments in flight cannot pay it twice.
 */
export async function orderSums(tx: Tx, orderId: number): Promise<{ committed: Decimal; paid: Decimal; refunded: Decimal }> {
  const [row] = await tx.$queryRaw<{ committed: string; paid: string; refunded: string }[]>`
    SELECT
      coalesce((SELECT sum(amount) FROM payments WHERE order_id = ${orderId} AND status IN ('PENDING', 'REQUIRES_ACTION', 'SUCCEEDED')), 0)::text AS committed,
      coalesce((SELECT sum(amount) FROM payments WHERE order_id = ${orderId} AND status = 'SUCCEEDED'), 0)::text AS paid,
      coalesce((SELECT sum(r.amount) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.order_id = ${orderId} AND r.status = 'SUCCEEDED'), 0)::text AS refunded`;
  return { committed: new Decimal(row!.committed), paid: new Decimal(row!.paid), refunded: new Decimal(row!.refunded) };
}

export async function insertRefund(tx: Tx, data: { sellerId: string; paymentId: number; amount: Decimal; reason: string | null }): Promise<number> {
  const row = await tx.refund.create({ data: { ...data, amount: data.amount.toFixed(2) }, select: { id: true } });
  return row.id;
}

export async function findRefund(db: Db, id: number): Promise<(RefundRecord & { sellerId: string }) | null> {
  const row = await db.refund.findUnique({ where: { id } });
  return row && { ...toRefund(row), sellerId: row.sellerId };
}

/** PENDING -> SUCCEEDED or FAILED; false when another request settled it first. */
export async function settleRefund(tx: Tx, id: number, status: 'SUCCEEDED' | 'FAILED', providerRef: string | null): Promise<boolean> {
  const { count } = await tx.refund.updateMany({ where: { id, status: 'PENDING' }, data: { status, providerRef } });
  return count === 1;
}

/** Payments still PENDING that were written before `before` (the request that wrote them died or met an unreachable provider). */
export async function findStalePendingPayments(db: Db, before: Date, limit: number): Promise<PaymentRecord[]> {
  const rows = await db.payment.findMany({ where: { status: 'PENDING', createdAt: { lt: before } }, orderBy: { id: 'asc' }, take: limit, include: withRefunds });
  return rows.map(toRecord);
}

export async function findStalePendingRefundIds(db: Db, before: Date, limit: number): Promise<number[]> {
  const rows = await db.refund.findMany({ where: { status: 'PENDING', createdAt: { lt: before } }, orderBy: { id: 'asc' }, take: limit, select: { id: true } });
  return rows.map((r) => r.id);
}
