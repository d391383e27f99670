import type { Decimal } from 'decimal.js';

/**
 * A payment gateway. Every call carries an idempotency key: called again with the same key (a
 * retry after a crash or a timeout), a provider answers as the first time and moves no money twice.
 * Calls are made outside database transactions.
 */
export interface PaymentProvider {
  /** Its name, stored on each payment. */
  readonly name: string;
  initiate(request: { amount: Decimal; currency: string; paymentMethod: string; idempotencyKey: string }): Promise<ProviderPaymentResult>;
  /** Completes a payment that needed the customer's action (3-D Secure). */
  confirm(request: { providerRef: string; idempotencyKey: string }): Promise<ProviderPaymentResult>;
  refund(request: { providerRef: string; amount: Decimal; idempotencyKey: string }): Promise<ProviderRefundResult>;
}

export type ProviderPaymentResult =
  | { status: 'SUCCEEDED' | 'REQUIRES_ACTION'; providerRef: string }
  | { status: 'FAILED'; providerRef: string | null; failureCode: string };

export type ProviderRefundResult = { status: 'SUCCEEDED'; providerRef: string } | { status: 'FAILED'; failureCode: string };
