import { afterCommit } from '../../infra/after-commit.js';
import type { Tx } from '../../infra/prisma.js';
import type { NotificationData, NotificationTemplate } from './notification.model.js';
import type { NotificationDispatch, NotificationJob } from './notification.queue.js';
import { findSettings, insertNotifications } from './notifications.repository.js';

/**
 * Writes notifications in the transaction of the change that causes them (so a rolled-back
 * change sends nothing and a committed one loses nothing) and queues their delivery once it
 * commits.
 */
export class NotificationOutbox {
  private readonly committed = new WeakMap<object, NotificationJob[]>();

  constructor(private readonly delivery: NotificationDispatch) {}

  /**
   * One notification per channel the order's customer can be reached on (email always, SMS with
   * a phone) that the seller did not turn off, for this template. An order without a customer
   * notifies nobody.
   */
  async notify(tx: Tx, sellerId: string, orderId: number, template: NotificationTemplate, data: NotificationData = {}): Promise<void> {
    const order = await tx.order.findFirst({ where: { id: orderId, sellerId }, select: { customer: { select: { email: true, phone: true } } } });
    const customer = order?.customer;
    if (!customer) return;
    const settings = await findSettings(tx, sellerId);
    if (settings.disabledTemplates.includes(template)) return;
    const rows = [
      ...(settings.emailEnabled ? [{ channel: 'EMAIL' as const, recipient: customer.email }] : []),
      ...(settings.smsEnabled && customer.phone ? [{ channel: 'SMS' as const, recipient: customer.phone }] : []),
    ].map((r) => ({ ...r, sellerId, orderId, template, data }));
    if (rows.length === 0) return;
    const ids = await insertNotifications(tx, rows);
    let jobs = this.committed.get(tx);
    if (!jobs) {
      const list: NotificationJob[] = (jobs = []);
      this.committed.set(tx, list);
      afterCommit(tx, () => this.delivery.dispatch(list));
    }
    jobs.push(...ids.map((notificationId) => ({ notificationId, sellerId })));
  }
}
