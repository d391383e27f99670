import type { Job } from 'bullmq';
import type { Database } from '../../infra/prisma.js';
import { STORE_CURRENCY } from '../payments/payment.model.js';
import type { Mailer } from './mailer.js';
import type { NotificationRecord } from './notification.model.js';
import type { NotificationJob } from './notification.queue.js';
import { renderEmail, renderSms, type OrderView } from './notification-templates.js';
import { findNotificationById, markFailed, markSent, recordAttempt } from './notifications.repository.js';
import type { SmsProvider } from './sms-provider.js';

/** Sends one queued notification per job; a failed send throws so the queue retries it, the last failure marks it FAILED. */
export class NotificationSender {
  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    private readonly sms: SmsProvider,
  ) {}

  async process(job: Job<NotificationJob>): Promise<string> {
    const notification = await findNotificationById(this.db, job.data.notificationId);
    if (!notification) return 'skipped: the notification is gone';
    if (notification.status !== 'QUEUED') return `skipped: already ${notification.status}`;
    const order = await this.orderView(notification);
    if (!order) return 'skipped: the order is gone';
    await recordAttempt(this.db, notification.id);
    try {
      if (notification.channel === 'EMAIL') await this.mailer.send(renderEmail(notification.template, notification.recipient, order, notification.data));
      else await this.sms.send({ to: notification.recipient, body: renderSms(notification.template, order, notification.data) });
    } catch (error) {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await markFailed(this.db, notification.id, error instanceof Error ? error.message : String(error), final);
      throw error;
    }
    await markSent(this.db, notification.id);
    return 'sent';
  }

  private async orderView(notification: NotificationRecord): Promise<OrderView | null> {
    if (notification.orderId === null) return null;
    const order = await this.db.order.findFirst({
      where: { id: notification.orderId, sellerId: notification.sellerId },
      include: { items: { orderBy: { productId: 'asc' } }, customer: { select: { name: true } } },
    });
    if (!order) return null;
    const products = await this.db.product.findMany({ where: { id: { in: order.items.map((i) => i.productId) } }, select: { id: true, name: true } });
    const names = new Map(products.map((p) => [p.id, p.name]));
    return {
      id: order.id,
      customerName: order.customer?.name ?? null,
      lines: order.items.map((i) => ({
        name: names.get(i.productId) ?? `Product ${i.productId}`,
        quantity: i.quantity,
        unitPrice: i.unitPrice.toFixed(2),
        lineTotal: i.unitPrice.mul(i.quantity).toFixed(2),
      })),
      total: order.total.toFixed(2),
      currency: STORE_CURRENCY,
    };
  }
}
