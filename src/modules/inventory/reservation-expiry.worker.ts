import { DelayedError, type Job } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import { closeWorker, createWorker } from '../../infra/queues.js';
import type { Services } from '../../services.js';
import type { WorkerPart } from '../../worker.js';
import { RESERVATION_EXPIRY_QUEUE, reservationsOfJob, type ReservationExpiryJob } from './reservation-expiry.queue.js';

/**
 * The worker side of reservation expiry: processes the delayed jobs, and every
 * RESERVATION_SWEEP_INTERVAL_MS sweeps for due reservations whose job was lost (Redis data
 * loss, an api crash between commit and enqueue). The sweep is a timer, not a BullMQ job, so
 * it keeps working when Redis lost everything. Both paths use the same conditional transition,
 * so any number of workers release each reservation exactly once.
 */
export function startReservationExpiry(infra: Infra, services: Services): WorkerPart {
  const { config, log } = infra;
  const worker = createWorker<ReservationExpiryJob>(
    config,
    RESERVATION_EXPIRY_QUEUE,
    async (job: Job<ReservationExpiryJob>, token?: string) => {
      // a group's reservations one after another; one failure fails the job after the others
      // ran, and its retry finds those settled
      let expired = 0;
      let dueAt = 0;
      let failure: unknown;
      for (const id of reservationsOfJob(job.data)) {
        try {
          const outcome = await services.reservations.expire(id);
          if (outcome.expired) expired++;
          else if (outcome.dueAt) dueAt = Math.max(dueAt, outcome.dueAt.getTime());
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
      if (dueAt > 0 && token) {
        // fired before its time (clocks differ): wait again rather than leave it to the sweep
        await job.moveToDelayed(dueAt + 10, token);
        throw new DelayedError();
      }
      return { expired };
    },
    { concurrency: 8 },
  );
  worker.on('failed', (job, err) => log.error({ err, jobId: job?.id }, 'reservation expiry job failed'));
  worker.on('error', (err) => log.error({ err }, 'reservation expiry worker error'));

  let sweeping: Promise<void> | undefined;
  const sweep = async () => {
    try {
      let released = 0;
      for (let batch = 0; batch < 10; batch++) {
        const round = await services.reservations.expireDue(100);
        released += round.released;
        if (round.due < 100) break;
      }
      if (released > 0) log.info({ released }, 'reservation sweep released expired reservations');
    } catch (err) {
      log.error({ err }, 'reservation sweep failed');
    }
  };
  const timer = setInterval(() => {
    sweeping ??= sweep().finally(() => (sweeping = undefined));
  }, config.reservationSweepIntervalMs);
  timer.unref();

  return {
    name: 'reservation-expiry',
    stop: async () => {
      clearInterval(timer);
      await sweeping;
      await closeWorker(worker);
    },
  };
}
