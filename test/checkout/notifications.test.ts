import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf } from '../support/ids.js';
import { inTransaction } from '../../src/infra/prisma.js';
import { NotificationOutbox } from '../../src/modules/notifications/notification-outbox.js';
import { NOTIFICATION_QUEUE, type NotificationJob } from '../../src/modules/notifications/notification.queue.js';
import type { RecordingSmsProvider } from '../../src/modules/notifications/sms-provider.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { testSmtp, type TestSmtp } from '../support/smtp.js';
import { createStocked, UpdateOrderStatus } from '../support/stock.js';
import { waitFor } from '../support/wait.js';
import { moneyOf, pay, placeFor, refund } from './checkout-ops.js';

const Settings = graphql(`
  query CheckoutNotificationSettings { notificationSettings { emailEnabled smsEnabled disabledTemplates } }
`);
const UpdateSettings = graphql(`
  mutation CheckoutUpdateNotificationSettings($input: NotificationSettingsInput!) {
    updateNotificationSettings(input: $input) { settings { emailEnabled smsEnabled disabledTemplates } userErrors { field code message } }
  }
`);
const Notifications = graphql(`
  query CheckoutNotifications($orderId: ID) {
    notifications(first: 100, orderId: $orderId) { nodes { id channel template recipient status } }
  }
`);

const SELLER = 'notify-a';
const OTHER = 'notify-b';

/** Waits until every notification of the order is SENT (or FAILED) and returns them. */
async function settled(api: TestApi, seller: string, orderId: string, count: number, timeoutMs = 20_000) {
  return waitFor(
    async () => {
      const { notifications } = await moneyOf(api, seller, orderId);
      return notifications.length === count && notifications.every((n) => n.status !== 'QUEUED') ? notifications : undefined;
    },
    `${count} notifications of order ${orderId} to be sent`,
    timeoutMs,
  );
}

async function product(api: TestApi, seller = SELLER) {
  return createStocked(api, seller, 10, { price: '12.50', name: 'Desk lamp' });
}

describe('delivery', () => {
  let api: TestApi;
  let smtp: TestSmtp;
  let sms: RecordingSmsProvider;

  beforeAll(async () => {
    smtp = await testSmtp();
    api = await startTestApi({ SMTP_URL: smtp.url, MAIL_FROM: 'Shop <shop@example.com>' }, { worker: true });
    sms = api.services.notifications.sms as RecordingSmsProvider;
  });
  afterAll(async () => {
    await api?.stop();
    await smtp?.stop();
  });

  const mailsTo = (to: string) => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === to);

  it('emails and texts the customer at each step, with the lines and totals', async () => {
    const email = `ada-${randomBytes(3).toString('hex')}@example.com`;
    const order = await placeFor(api, SELLER, await product(api), 2, { email, name: 'Ada', phone: '+44 20 7946 0000' });
    await pay(api, SELLER, order.id);
    const sent = await settled(api, SELLER, order.id, 4);
    expect(sent.map((n) => [n.template, n.channel, n.recipient, n.status, n.attempts, n.lastError])).toEqual([
      ['payment_succeeded', 'EMAIL', email, 'SENT', 1, null],
      ['payment_succeeded', 'SMS', '+44 20 7946 0000', 'SENT', 1, null],
      ['order_confirmation', 'EMAIL', email, 'SENT', 1, null],
      ['order_confirmation', 'SMS', '+44 20 7946 0000', 'SENT', 1, null],
    ]);
    expect(sent.every((n) => n.sentAt !== null)).toBe(true);

    const mails = mailsTo(email);
    expect(order.number).toBe(keyOf(order.id));
    expect(mails.map((m) => m.subject).sort()).toEqual([`Order #${order.number} confirmed`, `Payment of 25.00 USD received for order #${keyOf(order.id)}`]);
    const confirmation = mails.find((m) => m.subject === `Order #${keyOf(order.id)} confirmed`)!;
    expect(confirmation.from?.text).toBe('"Shop" <shop@example.com>');
    expect(confirmation.text).toContain('Hello Ada,');
    expect(confirmation.text).toContain('2 x Desk lamp at 12.50 = 25.00');
    expect(confirmation.text).toContain('Total: 25.00 USD');
    expect(confirmation.html).toContain('<td>Desk lamp</td><td align="right">2</td><td align="right">12.50</td><td align="right">25.00</td>');
    expect(confirmation.html).toContain('<strong>25.00 USD</strong>');
    expect(sms.sent.filter((m) => m.to === '+44 20 7946 0000').map((m) => m.body)).toEqual(
      expect.arrayContaining([`Order #${keyOf(order.id)} confirmed. Total 25.00 USD.`, `Payment of 25.00 USD received for order #${keyOf(order.id)}. Total 25.00 USD.`]),
    );

    await api.gql(UpdateOrderStatus, { id: order.id, status: 'SHIPPED' }, { seller: SELLER });
    await api.gql(UpdateOrderStatus, { id: order.id, status: 'DELIVERED' }, { seller: SELLER });
    const payment = (await moneyOf(api, SELLER, order.id)).payments[0]!;
    expect((await refund(api, SELLER, payment.id, '5.00')).userErrors).toEqual([]);
    const all = await settled(api, SELLER, order.id, 10);
    expect(all.slice(4).map((n) => `${n.template}/${n.channel}`)).toEqual([
      'order_shipped/EMAIL',
      'order_shipped/SMS',
      'order_delivered/EMAIL',
      'order_delivered/SMS',
      'refund_issued/EMAIL',
      'refund_issued/SMS',
    ]);
    expect(mailsTo(email).map((m) => m.subject)).toEqual(
      expect.arrayContaining([`Order #${keyOf(order.id)} has shipped`, `Order #${keyOf(order.id)} was delivered`, `Refund of 5.00 USD for order #${keyOf(order.id)}`]),
    );
    expect(mailsTo(email)).toHaveLength(5);
  });

  it('tells of a failed payment, and sends no SMS to a customer without a phone', async () => {
    const email = `bob-${randomBytes(3).toString('hex')}@example.com`;
    const order = await placeFor(api, SELLER, await product(api), 1, { email });
    await pay(api, SELLER, order.id, 'pm_card_chargeDeclined');
    const sent = await settled(api, SELLER, order.id, 1);
    expect(sent.map((n) => [n.template, n.channel, n.status])).toEqual([['payment_failed', 'EMAIL', 'SENT']]);
    const [mail] = mailsTo(email);
    expect(mail!.subject).toBe(`Payment for order #${keyOf(order.id)} failed`);
    expect(mail!.text).toContain('(card_declined)');
    expect(mail!.text).toContain('Total: 12.50 USD');
  });

  it('sends nothing the seller turned off, and only that seller', async () => {
    expect((await api.gql(Settings, {}, { seller: SELLER })).data!.notificationSettings).toEqual({ emailEnabled: true, smsEnabled: true, disabledTemplates: [] });
    const bad = await api.gql(UpdateSettings, { input: { smsEnabled: false, disabledTemplates: ['NEWSLETTER' as 'ORDER_SHIPPED'] } }, { seller: SELLER });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((await api.gql(Settings, {}, { seller: SELLER })).data!.notificationSettings.smsEnabled).toBe(true);
    const unknown = await api.services.notifications.updateSettings(SELLER, { disabledTemplates: ['newsletter'] });
    expect(unknown.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'disabledTemplates'], message: expect.stringContaining('Unknown template newsletter') }]);
    const off = await api.gql(UpdateSettings, { input: { smsEnabled: false, disabledTemplates: ['PAYMENT_SUCCEEDED', 'PAYMENT_SUCCEEDED'] } }, { seller: SELLER });
    expect(off.data!.updateNotificationSettings).toEqual({ settings: { emailEnabled: true, smsEnabled: false, disabledTemplates: ['PAYMENT_SUCCEEDED'] }, userErrors: [] });
    expect((await api.gql(Settings, {}, { seller: OTHER })).data!.notificationSettings).toEqual({ emailEnabled: true, smsEnabled: true, disabledTemplates: [] });

    try {
      const phone = '+1 555 0100 222';
      const order = await placeFor(api, SELLER, await product(api), 1, { email: `cy-${randomBytes(3).toString('hex')}@example.com`, phone });
      await pay(api, SELLER, order.id);
      const sent = await settled(api, SELLER, order.id, 1);
      expect(sent.map((n) => [n.template, n.channel])).toEqual([['order_confirmation', 'EMAIL']]);
      expect(sms.sent.filter((m) => m.to === phone)).toEqual([]);

      // the other seller's customers are told as before
      const theirs = await placeFor(api, OTHER, await product(api, OTHER), 1, { email: `dee-${randomBytes(3).toString('hex')}@example.com`, phone });
      await pay(api, OTHER, theirs.id);
      expect((await settled(api, OTHER, theirs.id, 4)).map((n) => n.channel).sort()).toEqual(['EMAIL', 'EMAIL', 'SMS', 'SMS']);
    } finally {
      await api.gql(UpdateSettings, { input: { smsEnabled: true, disabledTemplates: [] } }, { seller: SELLER });
    }
  });

  it('writes and queues nothing for a change that rolled back, and both for one that committed', async () => {
    const order = await placeFor(api, SELLER, await product(api), 1, { email: `roll-${randomBytes(3).toString('hex')}@example.com`, phone: '+1 555 0100 333' });
    const dispatched: NotificationJob[][] = [];
    const outbox = new NotificationOutbox({ dispatch: (jobs) => dispatched.push([...jobs]) });
    const orderId = keyOf(order.id);
    await expect(
      inTransaction(api.infra.db, async (tx) => {
        await outbox.notify(tx, SELLER, orderId, 'order_shipped');
        throw new Error('the change failed after its notifications were written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await api.infra.db.notification.count({ where: { orderId } })).toBe(0);
    expect(dispatched).toEqual([]);

    await inTransaction(api.infra.db, (tx) => outbox.notify(tx, SELLER, orderId, 'order_shipped'));
    const rows = await api.infra.db.notification.findMany({ where: { orderId }, orderBy: { id: 'asc' } });
    expect(rows.map((n) => n.channel)).toEqual(['EMAIL', 'SMS']);
    expect(dispatched).toEqual([rows.map((n) => ({ notificationId: n.id, sellerId: SELLER }))]);
  });

  it("another seller sees none of a seller's notifications", async () => {
    const order = await placeFor(api, SELLER, await product(api), 1, { email: `eve-${randomBytes(3).toString('hex')}@example.com` });
    await pay(api, SELLER, order.id);
    await settled(api, SELLER, order.id, 2);
    expect((await api.gql(Notifications, { orderId: order.id }, { seller: SELLER })).data!.notifications.nodes).toHaveLength(2);
    expect((await api.gql(Notifications, { orderId: order.id }, { seller: OTHER })).data!.notifications.nodes).toEqual([]);
    const theirs = (await api.gql(Notifications, {}, { seller: OTHER })).data!.notifications.nodes;
    const mine = new Set((await api.gql(Notifications, {}, { seller: SELLER })).data!.notifications.nodes.map((n) => n.id));
    expect(theirs.some((n) => mine.has(n.id))).toBe(false);
  });
});

describe('an SMTP server that is down', () => {
  it('delivers after retries once it is up, and nothing twice', async () => {
    const smtp = await testSmtp(false);
    const api = await startTestApi({ SMTP_URL: smtp.url }, { worker: true });
    try {
      const email = `late-${randomBytes(3).toString('hex')}@example.com`;
      const order = await placeFor(api, SELLER, await product(api), 1, { email });
      await pay(api, SELLER, order.id);
      const failing = await waitFor(
        async () => {
          const { notifications } = await moneyOf(api, SELLER, order.id);
          return notifications.length === 2 && notifications.every((n) => n.attempts >= 2) ? notifications : undefined;
        },
        'two failed attempts each',
      );
      expect(failing.every((n) => n.status === 'QUEUED' && /ECONNREFUSED/.test(n.lastError ?? ''))).toBe(true);

      await smtp.start();
      const sent = await settled(api, SELLER, order.id, 2);
      expect(sent.every((n) => n.status === 'SENT' && n.lastError === null && n.attempts >= 3)).toBe(true);
      const queue = api.infra.queues.get(NOTIFICATION_QUEUE);
      await waitFor(async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0 ? true : undefined;
      }, 'the notification queue to drain');
      expect(smtp.received.map((m) => m.subject).sort()).toEqual([`Order #${keyOf(order.id)} confirmed`, `Payment of 12.50 USD received for order #${keyOf(order.id)}`]);
    } finally {
      await api.stop();
      await smtp.stop();
    }
  }, 60_000);

  it('gives up after 5 retries: FAILED with the last error', async () => {
    const smtp = await testSmtp(false);
    const api = await startTestApi({ SMTP_URL: smtp.url }, { worker: true });
    try {
      const order = await placeFor(api, SELLER, await product(api), 1, { email: `never-${randomBytes(3).toString('hex')}@example.com` });
      await pay(api, SELLER, order.id);
      const failed = await settled(api, SELLER, order.id, 2, 45_000);
      expect(failed.map((n) => [n.status, n.attempts, n.sentAt])).toEqual([
        ['FAILED', 6, null],
        ['FAILED', 6, null],
      ]);
      expect(failed.every((n) => /ECONNREFUSED/.test(n.lastError ?? ''))).toBe(true);
    } finally {
      await api.stop();
    }
  }, 60_000);
});
