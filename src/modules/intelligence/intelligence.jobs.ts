import type { JobsOptions } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import { closeWorker, createWorker } from '../../infra/queues.js';
import type { WorkerPart } from '../../worker.js';
import { recomputeSeller } from './seller-recompute.js';

export const INTELLIGENCE_QUEUE = 'intelligence';

export interface RecomputeJobData {
  sellerId: string;
}

/** BullMQ ids may not contain ":"; one pending recompute per seller. */
export const recomputeKey = (sellerId: string) => `recompute-${encodeURIComponent(sellerId)}`;

/**
 * Throttled per seller: the first change queues a recompute delayMs later and changes within
 * that time add nothing (the job reads everything when it runs). A change while it runs queues
 * the next one, so a busy seller is recomputed about once per delayMs, never starved.
 */
export const recomputeJobOptions = (sellerId: string, delayMs: number): JobsOptions => ({
  delay: delayMs,
  deduplication: { id: recomputeKey(sellerId), ttl: delayMs },
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

export function startIntelligence(infra: Infra): WorkerPart {
  const worker = createWorker<RecomputeJobData>(
    infra.config,
    INTELLIGENCE_QUEUE,
    async (job) => {
      const timings = await recomputeSeller(infra.db, job.data.sellerId);
      infra.log.debug({ sellerId: job.data.sellerId, ...timings }, 'seller intelligence recomputed');
      return timings;
    },
    // one seller at a time per worker: a recompute is CPU work in this process
    { concurrency: 1, lockDuration: infra.config.jobs.lockMs },
  );
  worker.on('error', (err) => infra.log.warn({ err }, 'intelligence worker error'));
  return { name: 'intelligence', stop: () => closeWorker(worker) };
}
