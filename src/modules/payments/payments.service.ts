import type { Decimal } from 'decimal.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import { UserErrorCode, UserErrorsThrown, userError, withUserErrors, type UserError } from '../../graphql/user-errors.js';
import type { Logger } from '../../infra/logger.js';
import type { Database } from '../../infra/prisma.js';
import { runUnitOfWork } from '../../infra/unit-of-work.js';
import { checkIdempotencyKey, once } from '../idempotency/idempotency.js';
import type { NotificationOutbox } from '../notifications/notification-outbox.js';
import { lockOrder } from '../orders/orders.repository.js';
import type { RefundSettlement } from './cancelled-order-refunds.js';
import { applyPaymentAnswer, applyRefundAnswer } from './payment-answers.js';
import { checkAmount, checkText } from './payment-input.js';
import { STORE_CURRENCY, type PaymentRecord, type PaymentStatusName } from './payment.model.js';
import type { PaymentProvider, ProviderPaymentResult } from './payment-provider.js';
import * as payments from './payments.repository.js';

export type PaymentResult = { payment: PaymentRecord | null; userErrors: UserError[] };

export interface InitiatePaymentArgs {
  orderId: string;
  paymentMethod: string;
  amount?: Decimal | null;
  idempotencyKey?: string | null;
}

export interface RefundPaymentArgs {
  paymentId: string;
  amount?: Decimal | null;
  reason?: string | null;
  idempotencyKey?: string | null;
}

const orderNotFound = () => userError(UserErrorCode.NOT_FOUND, 'Order not found', ['input', 'orderId']);
const paymentNotFound = (field: string[]) => userError(UserErrorCode.NOT_FOUND, 'Payment not found', field);

/** A failed payment's answer: the card was declined, or the payment could not be processed. */
function failureErrors(payment: PaymentRecord, field: string[]): UserError[] {
  if (payment.status !== 'FAILED') return [];
  return payment.failureCode === 'card_declined'
    ? [userError(UserErrorCode.PAYMENT_DECLINED, 'The card was declined', field)]
    : [userError(UserErrorCode.PAYMENT_FAILED, `The payment failed: ${payment.failureCode ?? 'unknown error'}`, field)];
}

/**
 * Payments and refunds of orders through a PaymentProvider. Each is written PENDING first (with
 * its idempotency key claimed), the provider is called between transactions (never while stock
 * rows are locked), and its answer is applied in a second transaction that moves the order:
 * confirmed (stock sold) once fully paid, cancelled (stock returned) once a confirmed order is
 * fully refunded. A retry finds the PENDING row and asks the provider again with the same key.
 */
export class PaymentsService implements RefundSettlement {
  constructor(
    private readonly db: Database,
    readonly provider: PaymentProvider,
    private readonly outbox: NotificationOutbox,
    private readonly log: Logger,
  ) {}

  paymentsByIds(sellerId: string, ids: readonly number[]): Promise<PaymentRecord[]> {
    return payments.findPayments(this.db, sellerId, ids);
  }

  paymentsOfOrders(sellerId: string, orderIds: readonly number[]): Promise<PaymentRecord[]> {
    return payments.paymentsOfOrders(this.db, sellerId, orderIds);
  }

  async initiatePayment(sellerId: string, args: InitiatePaymentArgs): Promise<PaymentResult> {
    const orderId: number | null = serialKeyOfInput('Order', args.orderId, 'input.orderId');
    const amount = checkAmount(args.amount, ['input', 'amount']);
    const userErrors = [
      ...(orderId === null ? [orderNotFound()] : []),
      ...checkText(args.paymentMethod, 255, 'Payment method must be 1-255 characters', ['input', 'paymentMethod'], true),
      ...(amount.ok ? [] : amount.errors),
      ...checkIdempotencyKey(args.idempotencyKey),
    ];
    if (orderId === null || !amount.ok || userErrors.length > 0) return { payment: null, userErrors };

    const request = {
      sellerId,
      operation: 'initiatePayment' as const,
      key: args.idempotencyKey,
      input: { orderId, paymentMethod: args.paymentMethod, amount: amount.value?.toFixed(2) ?? null },
    };
    const intent = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        const { id } = await once(tx, request, async () => {
          const order = await lockOrder(tx, sellerId, orderId);
          if (!order) throw new UserErrorsThrown([orderNotFound()]);
          if (order.status === 'CANCELLED') {
            throw new UserErrorsThrown([userError(UserErrorCode.INVALID_TRANSITION, 'A CANCELLED order takes no payment', ['input', 'orderId'])]);
          }
          const unpaid = order.total.minus((await payments.orderSums(tx, orderId)).committed);
          const charge = amount.value ?? unpaid;
          if (unpaid.lessThanOrEqualTo(0) || charge.greaterThan(unpaid)) {
            const message = unpaid.lessThanOrEqualTo(0)
              ? 'Nothing of this order is left to pay'
              : `At most ${unpaid.toFixed(2)} of this order is left to pay`;
            throw new UserErrorsThrown([userError(UserErrorCode.AMOUNT_TOO_LARGE, message, ['input', 'amount'])]);
          }
          return payments.insertPayment(tx, { sellerId, orderId, amount: charge, currency: STORE_CURRENCY, provider: this.provider.name, paymentMethod: args.paymentMethod });
        });
        return { value: id, events: [] };
      }),
    );
    if (!intent.ok) return { payment: null, userErrors: intent.userErrors };
    const paymentId = intent.value.value;
    let payment = (await payments.findPayment(this.db, sellerId, paymentId))!;
    if (payment.status === 'PENDING') {
      const answer = await this.ask(() =>
        this.provider.initiate({ amount: payment.amount, currency: payment.currency, paymentMethod: payment.paymentMethod, idempotencyKey: `amused-payment-${payment.id}` }),
      );
      if (!answer) return { payment, userErrors: [providerUnreachable()] };
      payment = await this.applyAnswer(payment, 'PENDING', answer);
    }
    return { payment, userErrors: failureErrors(payment, ['input', 'paymentMethod']) };
  }

  /** Completes a REQUIRES_ACTION payment; a payment it already completed is answered as it is. */
  async confirmPayment(sellerId: string, id: string): Promise<PaymentResult> {
    const paymentId: number | null = serialKeyOfInput('Payment', id, 'id');
    const payment = paymentId === null ? null : await payments.findPayment(this.db, sellerId, paymentId);
    if (!payment) return { payment: null, userErrors: [paymentNotFound(['id'])] };
    if (payment.status === 'SUCCEEDED') return { payment, userErrors: [] };
    if (payment.status !== 'REQUIRES_ACTION') {
      return { payment: null, userErrors: [userError(UserErrorCode.INVALID_TRANSITION, `A ${payment.status} payment cannot be confirmed`, ['id'])] };
    }
    const answer = await this.ask(() => this.provider.confirm({ providerRef: payment.providerRef!, idempotencyKey: `amused-payment-${payment.id}-confirm` }));
    if (!answer) return { payment, userErrors: [providerUnreachable()] };
    const settled = await this.applyAnswer(payment, 'REQUIRES_ACTION', answer);
    return { payment: settled, userErrors: failureErrors(settled, ['id']) };
  }

  async refundPayment(sellerId: string, args: RefundPaymentArgs): Promise<PaymentResult> {
    const paymentId: number | null = serialKeyOfInput('Payment', args.paymentId, 'input.paymentId');
    const amount = checkAmount(args.amount, ['input', 'amount']);
    const reason = args.reason?.trim() || null;
    const userErrors = [
      ...(paymentId === null ? [paymentNotFound(['input', 'paymentId'])] : []),
      ...(amount.ok ? [] : amount.errors),
      ...checkText(reason, 500, 'Reason must be at most 500 characters', ['input', 'reason'], false),
      ...checkIdempotencyKey(args.idempotencyKey),
    ];
    if (paymentId === null || !amount.ok || userErrors.length > 0) return { payment: null, userErrors };

    const request = { sellerId, operation: 'refundPayment' as const, key: args.idempotencyKey, input: { paymentId, amount: amount.value?.toFixed(2) ?? null, reason } };
    const intent = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        const { id } = await once(tx, request, async () => {
          const known = await payments.findPayment(tx, sellerId, paymentId);
          if (!known) throw new UserErrorsThrown([paymentNotFound(['input', 'paymentId'])]);
          await lockOrder(tx, sellerId, known.orderId);
          const payment = (await payments.lockPayment(tx, sellerId, paymentId))!;
          if (payment.status !== 'SUCCEEDED') {
            throw new UserErrorsThrown([userError(UserErrorCode.INVALID_TRANSITION, `A ${payment.status} payment cannot be refunded`, ['input', 'paymentId'])]);
          }
          // PENDING refunds count: two refunds in flight cannot give back more than was paid
          const left = payment.refunds.filter((r) => r.status !== 'FAILED').reduce((rest, r) => rest.minus(r.amount), payment.amount);
          const refund = amount.value ?? left;
          if (left.lessThanOrEqualTo(0) || refund.greaterThan(left)) {
            const message = left.lessThanOrEqualTo(0) ? 'Nothing of this payment is left to refund' : `At most ${left.toFixed(2)} of this payment is left to refund`;
            throw new UserErrorsThrown([userError(UserErrorCode.AMOUNT_TOO_LARGE, message, ['input', 'amount'])]);
          }
          return payments.insertRefund(tx, { sellerId, paymentId, amount: refund, reason });
        });
        return { value: id, events: [] };
      }),
    );
    if (!intent.ok) return { payment: null, userErrors: intent.userErrors };
    const refunded = await this.completeRefund(intent.value.value);
    const payment = (await payments.findPayment(this.db, sellerId, paymentId))!;
    if (refunded === 'UNREACHABLE') return { payment, userErrors: [providerUnreachable()] };
    if (refunded === 'FAILED') return { payment, userErrors: [userError(UserErrorCode.PAYMENT_FAILED, 'The provider refused the refund', ['input', 'paymentId'])] };
    return { payment, userErrors: [] };
  }

  /** Completes refunds written PENDING (by a cancellation); one that fails stays PENDING for the recovery. */
  async settle(refundIds: readonly number[]): Promise<void> {
    for (const id of refundIds) {
      try {
        await this.completeRefund(id);
      } catch (err) {
        this.log.warn({ err, refundId: id }, 'refund not completed; the payment recovery retries it');
      }
    }
  }

  /**
   * Finishes what was left PENDING before `before` (a crashed request, an unreachable provider):
   * payments are asked of the provider again with their key, refunds completed.
   */
  async recoverStale(before: Date, limit = 100): Promise<{ payments: number; refunds: number }> {
    const stale = await payments.findStalePendingPayments(this.db, before, limit);
    for (const payment of stale) {
      const answer = await this.ask(() =>
        this.provider.initiate({ amount: payment.amount, currency: payment.currency, paymentMethod: payment.paymentMethod, idempotencyKey: `amused-payment-${payment.id}` }),
      );
      if (answer) await this.applyAnswer(payment, 'PENDING', answer);
    }
    const refundIds = await payments.findStalePendingRefundIds(this.db, before, limit);
    await this.settle(refundIds);
    return { payments: stale.length, refunds: refundIds.length };
  }

  /** Asks the provider; null when it could not be reached (the payment stays as it was, a retry asks again). */
  private async ask<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (err) {
      this.log.warn({ err }, 'payment provider call failed');
      return null;
    }
  }

  /** Applies the provider's answer, then completes the refunds it caused (a late success); returns the payment as it is now. */
  private async applyAnswer(payment: PaymentRecord, from: PaymentStatusName, answer: ProviderPaymentResult): Promise<PaymentRecord> {
    await this.settle(await applyPaymentAnswer(this.db, this.outbox, payment, from, answer));
    return (await payments.findPayment(this.db, payment.sellerId, payment.id))!;
  }

  /** Asks the provider for a PENDING refund and applies its answer. */
  private async completeRefund(refundId: number): Promise<'SUCCEEDED' | 'FAILED' | 'UNREACHABLE'> {
    const refund = (await payments.findRefund(this.db, refundId))!;
    if (refund.status !== 'PENDING') return refund.status;
    const payment = (await payments.findPayment(this.db, refund.sellerId, refund.paymentId))!;
    const answer = await this.ask(() => this.provider.refund({ providerRef: payment.providerRef!, amount: refund.amount, idempotencyKey: `amused-refund-${refund.id}` }));
    if (!answer) return 'UNREACHABLE';
    await applyRefundAnswer(this.db, this.outbox, refund, payment, answer);
    return answer.status;
  }
}

function providerUnreachable(): UserError {
  return userError(UserErrorCode.PAYMENT_FAILED, 'The payment provider could not be reached; retry with the same idempotency key', ['input']);
}
