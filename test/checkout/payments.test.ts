import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyOf } from '../support/ids.js';
import { PROCESSING_ATTEMPTS, type SimulatedPaymentProvider } from '../../src/modules/payments/simulated-payment-provider.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { expectStockInvariants, Movements, stockOf, createStocked, CancelOrder } from '../support/stock.js';
import { waitFor } from '../support/wait.js';
import { ConfirmPayment, moneyOf, pay, placeFor, refund } from './checkout-ops.js';

const SELLER = 'pay-a';
const OTHER = 'pay-b';
let api: TestApi;
let provider: SimulatedPaymentProvider;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
  provider = api.services.payments.provider as SimulatedPaymentProvider;
});
afterEach(() => expectStockInvariants(api, SELLER, OTHER));
afterAll(() => api?.stop());

/** A product of 10 units at 12.50 and a PENDING order of 2 of them (25.00). */
async function pendingOrder(ttlSeconds?: number) {
  const productId = await createStocked(api, SELLER, 10, { price: '12.50' });
  const order = await placeFor(api, SELLER, productId, 2, { email: `c-${randomBytes(3).toString('hex')}@example.com` }, ttlSeconds);
  expect(order.total).toBe('25.00');
  return { productId, order };
}

async function confirm(id: string, seller = SELLER) {
  const res = await api.gql(ConfirmPayment, { id }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.confirmPayment;
}

async function paymentRows(orderId: string) {
  return api.infra.db.payment.count({ where: { orderId: keyOf(orderId) } });
}

describe('the four test cards', () => {
  it('pm_card_visa succeeds: the order is paid, CONFIRMED and its stock sold', async () => {
    const { productId, order } = await pendingOrder();
    const paid = await pay(api, SELLER, order.id);
    expect(paid.userErrors).toEqual([]);
    expect(paid.payment).toMatchObject({ amount: '25.00', currency: 'USD', status: 'SUCCEEDED', provider: 'simulated', failureCode: null, refunds: [] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PAID', amountPaid: '25.00', amountRefunded: '0.00', reservation: { status: 'COMMITTED' } });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 8, reserved: 0 });
    const movements = await api.gql(Movements, { id: productId }, { seller: SELLER });
    expect(movements.data!.product!.stockMovements.nodes.at(-1)).toEqual({ delta: -2, reason: 'SOLD', quantityAfter: 8, note: `order ${order.id}` });
  });

  it('pm_card_chargeDeclined fails with card_declined and PAYMENT_DECLINED; the order stays PENDING and another card can pay', async () => {
    const { productId, order } = await pendingOrder();
    const declined = await pay(api, SELLER, order.id, 'pm_card_chargeDeclined');
    expect(declined.payment).toMatchObject({ status: 'FAILED', failureCode: 'card_declined', amount: '25.00' });
    expect(declined.userErrors).toEqual([{ code: 'PAYMENT_DECLINED', field: ['input', 'paymentMethod'], message: 'The card was declined' }]);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'PENDING', paymentStatus: 'UNPAID', amountPaid: '0.00' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 2 });
    expect((await pay(api, SELLER, order.id)).payment!.status).toBe('SUCCEEDED');
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PAID', payments: [{ status: 'FAILED' }, { status: 'SUCCEEDED' }] });
  });

  it('pm_card_authenticationRequired needs confirmPayment, which completes it once', async () => {
    const { productId, order } = await pendingOrder();
    const started = await pay(api, SELLER, order.id, 'pm_card_authenticationRequired');
    expect(started).toMatchObject({ payment: { status: 'REQUIRES_ACTION', failureCode: null }, userErrors: [] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'PENDING', paymentStatus: 'UNPAID' });
    // the payment awaiting action already claims the unpaid amount
    expect((await pay(api, SELLER, order.id)).userErrors).toEqual([{ code: 'AMOUNT_TOO_LARGE', field: ['input', 'amount'], message: 'Nothing of this order is left to pay' }]);

    const confirmed = await confirm(started.payment!.id);
    expect(confirmed).toMatchObject({ payment: { id: started.payment!.id, status: 'SUCCEEDED' }, userErrors: [] });
    expect(await confirm(started.payment!.id)).toMatchObject({ payment: { status: 'SUCCEEDED' }, userErrors: [] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PAID', amountPaid: '25.00' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 8, reserved: 0 });
  });

  it("pm_card_processingError fails with processing_error after the provider's retries", async () => {
    const { order } = await pendingOrder();
    const before = provider.charges.get('pm_card_processingError') ?? 0;
    const failed = await pay(api, SELLER, order.id, 'pm_card_processingError');
    expect(failed.payment).toMatchObject({ status: 'FAILED', failureCode: 'processing_error' });
    expect(failed.userErrors).toEqual([{ code: 'PAYMENT_FAILED', field: ['input', 'paymentMethod'], message: 'The payment failed: processing_error' }]);
    expect(provider.charges.get('pm_card_processingError')! - before).toBe(PROCESSING_ATTEMPTS);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'PENDING', paymentStatus: 'UNPAID' });
    const again = await confirm(failed.payment!.id);
    expect(again).toEqual({ payment: null, userErrors: [{ code: 'INVALID_TRANSITION', field: ['id'], message: 'A FAILED payment cannot be confirmed' }] });
  });
});

describe('money rules', () => {
  it('pays in two parts: the order is CONFIRMED by the part that completes it', async () => {
    const { productId, order } = await pendingOrder();
    const first = await pay(api, SELLER, order.id, 'pm_card_visa', '10.01');
    expect(first.payment).toMatchObject({ amount: '10.01', status: 'SUCCEEDED' });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'PENDING', paymentStatus: 'PARTIALLY_PAID', amountPaid: '10.01' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 2 });
    const rest = await pay(api, SELLER, order.id);
    expect(rest.payment).toMatchObject({ amount: '14.99', status: 'SUCCEEDED' });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PAID', amountPaid: '25.00' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 8, reserved: 0 });
  });

  it('refunds part, then the rest: the CONFIRMED order is cancelled and its stock comes back as RETURNED', async () => {
    const { productId, order } = await pendingOrder();
    const payment = (await pay(api, SELLER, order.id)).payment!;
    const part = await refund(api, SELLER, payment.id, '10.00', undefined, 'scratched');
    expect(part).toMatchObject({ payment: { id: payment.id, status: 'SUCCEEDED', refunds: [{ amount: '10.00', reason: 'scratched' }] }, userErrors: [] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PARTIALLY_REFUNDED', amountPaid: '25.00', amountRefunded: '10.00' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 8, reserved: 0 });

    const rest = await refund(api, SELLER, payment.id);
    expect(rest.userErrors).toEqual([]);
    expect(rest.payment!.refunds).toEqual([expect.objectContaining({ amount: '10.00' }), expect.objectContaining({ amount: '15.00', reason: null })]);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED', amountRefunded: '25.00' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 0 });
    const movements = (await api.gql(Movements, { id: productId }, { seller: SELLER })).data!.product!.stockMovements.nodes;
    expect(movements.slice(-2)).toEqual([
      { delta: -2, reason: 'SOLD', quantityAfter: 8, note: `order ${order.id}` },
      { delta: 2, reason: 'RETURNED', quantityAfter: 10, note: `order ${order.id} refunded` },
    ]);
  });

  it('refuses over-payment and over-refund with AMOUNT_TOO_LARGE, changing nothing', async () => {
    const { order } = await pendingOrder();
    expect((await pay(api, SELLER, order.id, 'pm_card_visa', '25.01')).userErrors).toEqual([
      { code: 'AMOUNT_TOO_LARGE', field: ['input', 'amount'], message: 'At most 25.00 of this order is left to pay' },
    ]);
    expect(await paymentRows(order.id)).toBe(0);
    expect((await pay(api, SELLER, order.id, 'pm_card_visa', '0')).userErrors).toEqual([{ code: 'INVALID', field: ['input', 'amount'], message: 'Amount must be more than 0' }]);
    expect((await pay(api, SELLER, order.id, 'pm_card_visa', '1.001')).userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'amount'], message: 'Amount must have at most 2 decimal places' },
    ]);
    const payment = (await pay(api, SELLER, order.id, 'pm_card_visa', '20.00')).payment!;
    expect((await pay(api, SELLER, order.id, 'pm_card_visa', '5.01')).userErrors[0]).toMatchObject({ code: 'AMOUNT_TOO_LARGE', message: 'At most 5.00 of this order is left to pay' });
    expect(await paymentRows(order.id)).toBe(1);

    expect((await refund(api, SELLER, payment.id, '20.01')).userErrors).toEqual([
      { code: 'AMOUNT_TOO_LARGE', field: ['input', 'amount'], message: 'At most 20.00 of this payment is left to refund' },
    ]);
    await refund(api, SELLER, payment.id, '15.00');
    expect((await refund(api, SELLER, payment.id, '5.01')).userErrors[0]).toMatchObject({ code: 'AMOUNT_TOO_LARGE', message: 'At most 5.00 of this payment is left to refund' });
    await refund(api, SELLER, payment.id);
    expect((await refund(api, SELLER, payment.id)).userErrors[0]).toMatchObject({ code: 'AMOUNT_TOO_LARGE', message: 'Nothing of this payment is left to refund' });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'PENDING', amountPaid: '20.00', amountRefunded: '20.00', paymentStatus: 'REFUNDED' });

    const declined = (await pay(api, SELLER, order.id, 'pm_card_chargeDeclined', '1.00')).payment!;
    expect((await refund(api, SELLER, declined.id)).userErrors).toEqual([
      { code: 'INVALID_TRANSITION', field: ['input', 'paymentId'], message: 'A FAILED payment cannot be refunded' },
    ]);
    await api.gql(CancelOrder, { id: order.id }, { seller: SELLER });
    expect((await pay(api, SELLER, order.id, 'pm_card_visa', '1.00')).userErrors).toEqual([
      { code: 'INVALID_TRANSITION', field: ['input', 'orderId'], message: 'A CANCELLED order takes no payment' },
    ]);
  });
});

describe('idempotency under concurrency', () => {
  it('ten concurrent initiatePayment retries with one key make one payment and one charge', async () => {
    const { order } = await pendingOrder();
    const before = provider.charges.get('pm_card_visa') ?? 0;
    const key = `pay-${randomBytes(4).toString('hex')}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay(api, SELLER, order.id, 'pm_card_visa', undefined, key)));
    const ids = new Set(answers.map((a) => a.payment?.id));
    expect(ids.size).toBe(1);
    expect(answers.every((a) => a.userErrors.length === 0 && a.payment!.status === 'SUCCEEDED')).toBe(true);
    expect(await paymentRows(order.id)).toBe(1);
    expect(provider.charges.get('pm_card_visa')! - before).toBe(1);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', amountPaid: '25.00' });
    // the same key with other input is refused
    expect((await pay(api, SELLER, order.id, 'pm_card_visa', '1.00', key)).userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'idempotencyKey'], message: 'This idempotency key was already used for initiatePayment with other input' },
    ]);
  });

  it('ten concurrent confirmPayment calls complete the payment once and sell the stock once', async () => {
    const { productId, order } = await pendingOrder();
    const started = (await pay(api, SELLER, order.id, 'pm_card_authenticationRequired')).payment!;
    const answers = await Promise.all(Array.from({ length: 10 }, () => confirm(started.id)));
    expect(answers.every((a) => a.userErrors.length === 0 && a.payment!.status === 'SUCCEEDED')).toBe(true);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', amountPaid: '25.00', payments: [{ status: 'SUCCEEDED' }] });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 8, reserved: 0 });
  });

  it('concurrent payments without a key cannot pay an order twice', async () => {
    const { order } = await pendingOrder();
    const answers = await Promise.all(Array.from({ length: 6 }, () => pay(api, SELLER, order.id)));
    expect(answers.filter((a) => a.payment?.status === 'SUCCEEDED')).toHaveLength(1);
    expect(answers.filter((a) => a.userErrors[0]?.code === 'AMOUNT_TOO_LARGE')).toHaveLength(5);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ amountPaid: '25.00', paymentStatus: 'PAID' });
  });

  it('ten concurrent refundPayment retries with one key make one refund', async () => {
    const { order } = await pendingOrder();
    const payment = (await pay(api, SELLER, order.id)).payment!;
    const key = `refund-${randomBytes(4).toString('hex')}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => refund(api, SELLER, payment.id, '5.00', key)));
    expect(answers.every((a) => a.userErrors.length === 0)).toBe(true);
    expect(answers.map((a) => a.payment!.refunds.length)).toEqual(Array(10).fill(1));
    expect(await api.infra.db.refund.count({ where: { paymentId: (await api.infra.db.payment.findFirstOrThrow({ where: { orderId: keyOf(order.id) } })).id } })).toBe(1);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', amountRefunded: '5.00', paymentStatus: 'PARTIALLY_REFUNDED' });
    // without keys, concurrent full refunds give back the payment once
    const full = await Promise.all(Array.from({ length: 5 }, () => refund(api, SELLER, payment.id)));
    expect(full.filter((a) => a.userErrors.length === 0)).toHaveLength(1);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', amountRefunded: '25.00', paymentStatus: 'REFUNDED' });
  });
});

describe('cancellation and an unreachable provider', () => {
  it('cancelling a paid order refunds what was paid and returns its stock', async () => {
    const { productId, order } = await pendingOrder();
    await pay(api, SELLER, order.id);
    const cancelled = await api.gql(CancelOrder, { id: order.id }, { seller: SELLER });
    expect(cancelled.data!.cancelOrder.userErrors).toEqual([]);
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      amountRefunded: '25.00',
      payments: [{ refunds: [{ amount: '25.00' }] }],
    });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 0 });
  });

  it('records the payment before calling the provider: a retry with the same key, or the recovery, finishes it', async () => {
    const { order } = await pendingOrder();
    const initiate = provider.initiate.bind(provider);
    provider.initiate = () => Promise.reject(new Error('connect ETIMEDOUT'));
    let first;
    try {
      first = await pay(api, SELLER, order.id, 'pm_card_visa', '5.00', 'flaky-1');
      expect(first.payment).toMatchObject({ status: 'PENDING', amount: '5.00' });
      expect(first.userErrors).toEqual([
        { code: 'PAYMENT_FAILED', field: ['input'], message: 'The payment provider could not be reached; retry with the same idempotency key' },
      ]);
      expect((await pay(api, SELLER, order.id, 'pm_card_visa', '20.00', 'flaky-2')).payment!.status).toBe('PENDING');
      // both in flight claim their amounts: nothing more can be paid meanwhile
      expect((await pay(api, SELLER, order.id, 'pm_card_visa', '0.01')).userErrors[0]!.code).toBe('AMOUNT_TOO_LARGE');
    } finally {
      provider.initiate = initiate;
    }
    const retried = await pay(api, SELLER, order.id, 'pm_card_visa', '5.00', 'flaky-1');
    expect(retried).toMatchObject({ payment: { id: first.payment!.id, status: 'SUCCEEDED' }, userErrors: [] });
    expect(await api.services.payments.recoverStale(new Date(Date.now() + 60_000))).toMatchObject({ payments: 1 });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'PAID', amountPaid: '25.00' });
    expect(await paymentRows(order.id)).toBe(2);
  });
});

describe('provider calls', () => {
  it('are never made while a transaction of the app is open (no stock locks held across them)', async () => {
    const openTransactions = async () => {
      const [row] = await api.infra.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`;
      return row!.n;
    };
    const seen: number[] = [];
    const { initiate, confirm: confirmCall, refund: refundCall } = provider;
    provider.initiate = async (request) => (seen.push(await openTransactions()), initiate.call(provider, request));
    provider.confirm = async (request) => (seen.push(await openTransactions()), confirmCall.call(provider, request));
    provider.refund = async (request) => (seen.push(await openTransactions()), refundCall.call(provider, request));
    try {
      const { order } = await pendingOrder();
      const started = (await pay(api, SELLER, order.id, 'pm_card_authenticationRequired', '10.00')).payment!;
      await confirm(started.id);
      const rest = (await pay(api, SELLER, order.id)).payment!;
      await refund(api, SELLER, rest.id);
      await refund(api, SELLER, started.id);
      expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED' });
    } finally {
      Object.assign(provider, { initiate, confirm: confirmCall, refund: refundCall });
    }
    expect(seen).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('reservation expiry', () => {
  const pastExpiry = (reservationId: string) =>
    waitFor(
      async () => {
        const [row] = await api.infra.db.$queryRaw<{ past: boolean }[]>`SELECT expires_at <= now() AS past FROM reservations WHERE id = ${keyOf(reservationId)}`;
        return row?.past ? true : undefined;
      },
      'the hold to run out',
    );

  it('an order whose hold expired before payment is cancelled and takes no payment', async () => {
    const { productId, order } = await pendingOrder(1);
    await pastExpiry(order.reservation!.id);
    expect(await api.services.reservations.expire(keyOf(order.reservation!.id))).toEqual({ expired: true });
    expect((await pay(api, SELLER, order.id)).userErrors[0]).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 0 });
  });

  it('an order that expires partly paid gives the part back', async () => {
    const { order } = await pendingOrder(1);
    await pay(api, SELLER, order.id, 'pm_card_visa', '10.00');
    await pastExpiry(order.reservation!.id);
    expect(await api.services.reservations.expire(keyOf(order.reservation!.id))).toEqual({ expired: true });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED', amountPaid: '10.00', amountRefunded: '10.00' });
  });

  /** Holds the provider's answers to initiate until `release` is called. */
  function gateInitiate() {
    const initiate = provider.initiate.bind(provider);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    provider.initiate = async (request) => {
      calls++;
      await gate;
      return initiate(request);
    };
    return {
      called: () => calls,
      release: () => {
        provider.initiate = initiate;
        release();
      },
    };
  }

  it('a payment that succeeds after the worker expired the hold is refunded in full automatically', async () => {
    const { productId, order } = await pendingOrder(1);
    const gate = gateInitiate();
    const paying = pay(api, SELLER, order.id);
    await waitFor(async () => (gate.called() > 0 ? true : undefined), 'the provider to be asked');
    await pastExpiry(order.reservation!.id);
    expect(await api.services.reservations.expire(keyOf(order.reservation!.id))).toEqual({ expired: true });
    gate.release();
    const late = await paying;
    expect(late).toMatchObject({ payment: { status: 'SUCCEEDED', refunds: [{ amount: '25.00', reason: 'The order was cancelled before its payment completed' }] }, userErrors: [] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED', amountPaid: '25.00', amountRefunded: '25.00', reservation: { status: 'EXPIRED' } });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 0 });
  });

  it('a payment that succeeds after the hold ran out, before the worker got to it, expires the order itself and is refunded', async () => {
    const { productId, order } = await pendingOrder(1);
    const gate = gateInitiate();
    const paying = pay(api, SELLER, order.id);
    await waitFor(async () => (gate.called() > 0 ? true : undefined), 'the provider to be asked');
    await pastExpiry(order.reservation!.id);
    gate.release();
    const late = await paying;
    expect(late.payment).toMatchObject({ status: 'SUCCEEDED', refunds: [{ amount: '25.00' }] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED', reservation: { status: 'EXPIRED' } });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 0 });
    // the worker finds nothing left to do
    expect(await api.services.reservations.expire(keyOf(order.reservation!.id))).toEqual({ expired: false });
  });

  it('a payment awaiting the customer when the order expires is CANCELED and cannot be confirmed', async () => {
    const { order } = await pendingOrder(1);
    const started = (await pay(api, SELLER, order.id, 'pm_card_authenticationRequired')).payment!;
    await pastExpiry(order.reservation!.id);
    await api.services.reservations.expire(keyOf(order.reservation!.id));
    expect(await confirm(started.id)).toEqual({ payment: null, userErrors: [{ code: 'INVALID_TRANSITION', field: ['id'], message: 'A CANCELED payment cannot be confirmed' }] });
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ status: 'CANCELLED', paymentStatus: 'UNPAID', payments: [{ status: 'CANCELED' }] });
  });
});

describe('isolation', () => {
  it("another seller can neither see nor pay, confirm or refund a seller's payments", async () => {
    const { order } = await pendingOrder();
    const started = (await pay(api, SELLER, order.id, 'pm_card_authenticationRequired', '5.00')).payment!;
    const paid = (await pay(api, SELLER, order.id, 'pm_card_visa', '5.00')).payment!;
    expect((await pay(api, OTHER, order.id)).userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'orderId'], message: 'Order not found' }]);
    expect(await confirm(started.id, OTHER)).toEqual({ payment: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'Payment not found' }] });
    expect((await refund(api, OTHER, paid.id)).userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'paymentId'], message: 'Payment not found' }]);
    expect((await api.gql(ConfirmPayment, { id: started.id }, { seller: SELLER })).data!.confirmPayment.payment!.status).toBe('SUCCEEDED');
    expect(await moneyOf(api, SELLER, order.id)).toMatchObject({ amountPaid: '10.00', amountRefunded: '0.00' });
  });
});
