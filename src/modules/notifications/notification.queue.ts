// The notification queue's contract: its name, job data, ids and options, and how the api adds
// jobs to it. The processor is notification.jobs.ts; services import only this file.
import type { JobsOptions } from 'bullmq';
import type { Logger } from '../../infra/logger.js';
import type { Queues } from '../../infra/queues.js';

export const NOTIFICATION_QUEUE = 'notifications';

export interface NotificationJob {
  notificationId: number;
  /** Whose notification it is, for per-seller fairness. */
  sellerId: string;
}

/** One job per notification: adding it again (the sweep, a retry) is a no-op while the job is kept. */
export const notificationJobId = (id: number) => `notification-${id}`;

/** 1 + 5 retries, 0.5 s, 1 s, 2 s, 4 s, 8 s apart (the notification consumer's contract). */
export const NOTIFICATION_ATTEMPTS = 6;
export const NOTIFICATION_JOB_OPTIONS: JobsOptions = {
  attempts: NOTIFICATION_ATTEMPTS,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Adds delivery jobs for committed notifications, without making the request wait on Redis. */
export interface NotificationDispatch {
  dispatch(notifications: readonly NotificationJob[]): void;
}

export function notificationDispatchOn(queues: Queues, log: Logger): NotificationDispatch {
  return {
    dispatch(notifications) {
      if (notifications.length === 0) return;
      queues
        .get<NotificationJob>(NOTIFICATION_QUEUE)
        .addBulk(notifications.map((n) => ({ name: 'send', data: n, opts: { ...NOTIFICATION_JOB_OPTIONS, jobId: notificationJobId(n.notificationId) } })))
        .catch((err: unknown) => log.warn({ err }, 'could not queue notifications; the worker sweep will'));
    },
  };
}
