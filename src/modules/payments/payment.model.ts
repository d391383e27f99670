import type { Decimal } from 'decimal.js';

/** Orders have no currency of their own yet: every amount is in the store's currency. */
export const STORE_CURRENCY = 'USD';

export type PaymentStatusName = 'PENDING' | 'REQUIRES_ACTION' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
export type OrderPaymentStatusName = 'UNPAID' | 'PARTIALLY_PAID' | 'PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface RefundRecord {
  id: number;
  paymentId: number;
  amount: Decimal;
  reason: string | null;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  createdAt: Date;
}

export interface PaymentRecord {
  id: number;
  sellerId: string;
  orderId: number;
  amount: Decimal;
  currency: string;
  status: PaymentStatusName;
  provider: string;
  paymentMethod: string;
  providerRef: string | null;
  failureCode: string | null;
  createdAt: Date;
  refunds: RefundRecord[];
}

/** An order's money: what its succeeded payments brought in and what was given back of it. */
export interface OrderMoney {
  total: Decimal;
  paid: Decimal;
  refunded: Decimal;
}

export function orderPaymentStatus({ total, paid, refunded }: OrderMoney): OrderPaymentStatusName {
  if (paid.isZero()) return 'UNPAID';
  if (refunded.greaterThanOrEqualTo(paid)) return 'REFUNDED';
  if (refunded.greaterThan(0)) return 'PARTIALLY_REFUNDED';
  return paid.greaterThanOrEqualTo(total) ? 'PAID' : 'PARTIALLY_PAID';
}
