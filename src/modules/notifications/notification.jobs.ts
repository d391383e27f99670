import type { Job } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import { closeWorker, createWorker, fairProcessor } from '../../infra/queues.js';
import { SellerSlots } from '../../infra/seller-slots.js';
import type { Services } from '../../services.js';
import type { WorkerPart } from '../../worker.js';
import { SmtpMailer } from './mailer.js';
import { NOTIFICATION_QUEUE, notificationDispatchOn, type NotificationJob } from './notification.queue.js';
import { NotificationSender } from './notification-sender.js';
import { findStaleQueuedIds } from './notifications.repository.js';

const NOTIFICATION_CONCURRENCY = 10;
export const NOTIFICATIONS_PER_SELLER = 3;
const NOTIFICATION_SELLER_RETRY_MS = 200;
/** A notification still QUEUED this long after it was written may have lost its job (Redis, an api crash): queue it again. */
const STALE_AFTER_MS = 60_000;
const SWEEP_INTERVAL_MS = 30_000;

/**
 * The worker side of notifications: sends each queued notification by email (SMTP_URL) or SMS
 * (the services' SmsProvider), one seller holding at most NOTIFICATIONS_PER_SELLER sends at a
 * time, and every SWEEP_INTERVAL_MS queues again those whose job was lost (the job id makes that
 * a no-op for a job that still exists).
 */
export function startNotifications(infra: Infra, services: Services): WorkerPart {
  const { config, log } = infra;
  const mailer = new SmtpMailer(config.smtp.url, config.smtp.from);
  const sender = new NotificationSender(infra.db, mailer, services.notifications.sms);
  const fairness = {
    slots: new SellerSlots(infra.redis, `${config.redisPrefix}:seller-slots:${NOTIFICATION_QUEUE}`, NOTIFICATIONS_PER_SELLER, 60_000),
    sellerOf: (job: Job<NotificationJob>) => job.data.sellerId,
    retryMs: NOTIFICATION_SELLER_RETRY_MS,
    log,
  };
  const worker = createWorker<NotificationJob>(config, NOTIFICATION_QUEUE, fairProcessor(fairness, (job) => sender.process(job)), { concurrency: NOTIFICATION_CONCURRENCY });
  worker.on('error', (err) => log.warn({ err }, 'notification worker error'));
  worker.on('failed', (job, err) => log.warn({ err, notificationId: job?.data.notificationId, attempt: job?.attemptsMade }, 'notification not sent'));

  const dispatch = notificationDispatchOn(infra.queues, log);
  const sweep = async () => {
    try {
      const stale = await findStaleQueuedIds(infra.db, new Date(Date.now() - STALE_AFTER_MS), 500);
      dispatch.dispatch(stale.map((n) => ({ notificationId: n.id, sellerId: n.sellerId })));
    } catch (err) {
      log.error({ err }, 'notification sweep failed');
    }
  };
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= sweep().finally(() => (sweeping = undefined));
  }, SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    name: 'notifications',
    stop: async () => {
      clearInterval(timer);
      await sweeping;
      await closeWorker(worker);
      mailer.close();
    },
  };
}
