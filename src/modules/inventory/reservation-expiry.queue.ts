// The reservation-expiry queue's contract: its name, job data and ids, and how the api schedules
// jobs on it. The processor is reservation-expiry.worker.ts; services import only this file.
import type { Logger } from '../../infra/logger.js';
import type { Queues } from '../../infra/queues.js';
import type { ExpirySchedule } from './reservations.service.js';

export const RESERVATION_EXPIRY_QUEUE = 'reservation-expiry';

export interface ReservationExpiryJob {
  reservationId: number;
}

/** One job per reservation: scheduling it again (a retry, a replay) is a no-op while it waits. */
export const expiryJobId = (reservationId: number) => `reservation-${reservationId}`;

/** Schedules a delayed expiry job per new reservation, without making the request wait on Redis. */
export function expiryScheduleOn(queues: Queues, log: Logger): ExpirySchedule {
  return {
    schedule({ id, expiresAt }) {
      queues
        .get<ReservationExpiryJob>(RESERVATION_EXPIRY_QUEUE)
        .add('expire', { reservationId: id }, {
          jobId: expiryJobId(id),
          delay: Math.max(0, expiresAt.getTime() - Date.now()),
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        })
        .catch((err: unknown) => log.warn({ err, reservationId: id }, 'could not schedule reservation expiry; the sweep will release it'));
    },
  };
}

