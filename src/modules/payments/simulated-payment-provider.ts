import { randomUUID } from 'node:crypto';
import type { Decimal } from 'decimal.js';
import type { PaymentProvider, ProviderPaymentResult, ProviderRefundResult } from './payment-provider.js';

/** Stripe's test payment methods, and what each does here. */
export const TEST_CARDS = {
  pm_card_visa: 'succeeds',
  pm_card_chargeDeclined: 'fails with card_declined',
  pm_card_authenticationRequired: 'needs confirmPayment, then succeeds',
  pm_card_processingError: "fails with processing_error after the provider's retries",
} as const;

/** How many times the simulated gateway tries a charge that meets a processing error. */
export const PROCESSING_ATTEMPTS = 3;
/** It remembers this many answers and payments, the oldest forgotten first (it lives in memory). */
const REMEMBERED = 100_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as K);
}

interface SimulatedPayment {
  amount: Decimal;
  refunded: Decimal;
  status: ProviderPaymentResult['status'];
}

/**
 * A gateway in memory that behaves like Stripe's test cards, for development and tests. It
 * keeps its answers by idempotency key, as a real gateway does, so a retried call moves no
 * money twice. `charges` counts every charge attempt per payment method (its internal retries too).
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = 'simulated';
  readonly charges = new Map<string, number>();
  private readonly answers = new Map<string, Promise<ProviderPaymentResult | ProviderRefundResult>>();
  private readonly payments = new Map<string, SimulatedPayment>();

  initiate(request: { amount: Decimal; currency: string; paymentMethod: string; idempotencyKey: string }): Promise<ProviderPaymentResult> {
    return this.once(request.idempotencyKey, () => this.charge(request.paymentMethod, request.amount));
  }

  confirm(request: { providerRef: string; idempotencyKey: string }): Promise<ProviderPaymentResult> {
    return this.once(request.idempotencyKey, async () => {
      const payment = this.payments.get(request.providerRef);
      if (!payment) return { status: 'FAILED', providerRef: request.providerRef, failureCode: 'resource_missing' };
      if (payment.status === 'REQUIRES_ACTION') payment.status = 'SUCCEEDED';
      return payment.status === 'FAILED'
        ? { status: 'FAILED', providerRef: request.providerRef, failureCode: 'payment_intent_unexpected_state' }
        : { status: payment.status, providerRef: request.providerRef };
    });
  }

  refund(request: { providerRef: string; amount: Decimal; idempotencyKey: string }): Promise<ProviderRefundResult> {
    return this.once(request.idempotencyKey, async (): Promise<ProviderRefundResult> => {
      const payment = this.payments.get(request.providerRef);
      if (!payment || payment.status !== 'SUCCEEDED') return { status: 'FAILED', failureCode: 'charge_not_refundable' };
      if (payment.refunded.plus(request.amount).greaterThan(payment.amount)) return { status: 'FAILED', failureCode: 'amount_too_large' };
      payment.refunded = payment.refunded.plus(request.amount);
      return { status: 'SUCCEEDED', providerRef: `re_${randomUUID()}` };
    });
  }

  private async charge(paymentMethod: string, amount: Decimal): Promise<ProviderPaymentResult> {
    const attempts = paymentMethod === 'pm_card_processingError' ? PROCESSING_ATTEMPTS : 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.charges.set(paymentMethod, (this.charges.get(paymentMethod) ?? 0) + 1);
      if (attempt < attempts) await new Promise((r) => setTimeout(r, 5 * attempt));
    }
    const providerRef = `pi_${randomUUID()}`;
    const record = (status: SimulatedPayment['status']) => remember(this.payments, providerRef, { amount, refunded: amount.minus(amount), status });
    switch (paymentMethod) {
      case 'pm_card_visa':
        record('SUCCEEDED');
        return { status: 'SUCCEEDED', providerRef };
      case 'pm_card_authenticationRequired':
        record('REQUIRES_ACTION');
        return { status: 'REQUIRES_ACTION', providerRef };
      case 'pm_card_chargeDeclined':
        record('FAILED');
        return { status: 'FAILED', providerRef, failureCode: 'card_declined' };
      case 'pm_card_processingError':
        record('FAILED');
        return { status: 'FAILED', providerRef, failureCode: 'processing_error' };
      default:
        return { status: 'FAILED', providerRef: null, failureCode: 'payment_method_unknown' };
    }
  }

  private once<T extends ProviderPaymentResult | ProviderRefundResult>(key: string, call: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key);
    if (!answer) {
      answer = call();
      remember(this.answers, key, answer);
    }
    return answer as Promise<T>;
  }
}
