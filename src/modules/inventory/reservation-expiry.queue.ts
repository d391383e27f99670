// The reservation-expiry queue's contract: its name, job data and ids, and how the api schedules
// jobs on it. The processor is reservation-expiry.worker.ts; services import only this file.
import type { Logger } from '../../infra/logger.js';
import type { Queues } from '../../infra/queues.js';
import type { ReservationRecord } from './reservation.model.js';
import type { ExpirySchedule } from './reservations.service.js';

export const RESERVATION_EXPIRY_QUEUE = 'reservation-expiry';

export interface ReservationExpiryJob {
  reservationId: number;
}

/** One job per reservation: scheduling it again (a retry, a replay) is a no-op while it waits. */
export const expiryJobId = (reservationId: number) => `reservation-${reservationId}`;

const jobOf = ({ id, expiresAt }: Pick<ReservationRecord, 'id' | 'expiresAt'>, now: number) => ({
  name: 'expire',
  data: { reservationId: id },
  opts: {
    jobId: expiryJobId(id),
    delay: Math.max(0, expiresAt.getTime() - now),
    attempts: 5,
    backoff: { type: 'exponential' as const, delay: 1000 },
    removeOnComplete: true,
    removeOnFail: 1000,
  },
});

/** Schedules a delayed expiry job per new reservation, without making the request wait on Redis. */
export function expiryScheduleOn(queues: Queues, log: Logger): ExpirySchedule {
  const queue = () => queues.get<ReservationExpiryJob>(RESERVATION_EXPIRY_QUEUE);
  return {
    schedule(reservation) {
      const { name, data, opts } = jobOf(reservation, Date.now());
      queue()
        .add(name, data, opts)
        .catch((err: unknown) => log.warn({ err, reservationId: reservation.id }, 'could not schedule reservation expiry; the sweep will release it'));
    },
    scheduleAll(reservations) {
      if (reservations.length === 0) return;
      const now = Date.now();
      queue()
        .addBulk(reservations.map((r) => jobOf(r, now)))
        .catch((err: unknown) => log.warn({ err, reservations: reservations.length }, 'could not schedule reservation expiries; the sweep will release them'));
    },
  };
}

