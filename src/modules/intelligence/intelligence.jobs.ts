import { DelayedError, type Job, type JobsOptions } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import { closeWorker, createWorker } from '../../infra/queues.js';
import type { WorkerPart } from '../../worker.js';
import { importRunning } from '../bulk/jobs.repository.js';
import { nextRecomputeAt, RecomputeRuns } from './recompute-pacing.js';
import { RecomputeInterrupted, recomputeSeller, type RecomputeTimings, type StopCheck } from './seller-recompute.js';

export const INTELLIGENCE_QUEUE = 'intelligence';

export interface RecomputeJobData {
  sellerId: string;
}

/** BullMQ ids may not contain ":"; one pending recompute per seller. */
export const recomputeKey = (sellerId: string) => `recompute-${encodeURIComponent(sellerId)}`;

/**
 * Throttled per seller: the first change queues a recompute delayMs later and changes within
 * that time add nothing (the job reads everything when it runs). A change while it runs queues
 * the next one, so a busy seller is recomputed about once per delayMs, never starved; the job
 * itself waits longer after a long recompute (recompute-pacing.ts) and skips while the seller
 * imports (see `runRecompute`).
 */
export const recomputeJobOptions = (sellerId: string, delayMs: number): JobsOptions => ({
  delay: delayMs,
  deduplication: { id: recomputeKey(sellerId), ttl: delayMs },
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

export type RecomputeOutcome = (RecomputeTimings & { totalMs: number }) | 'covered' | 'importing';

/**
 * Runs the seller's recompute unless
 * - one started since this job was queued: it read the changes this job was queued for;
 * - the seller imports: a recompute per batch would redo a growing catalog over and over, and
 *   the import's end queues one (bulk.jobs.ts);
 * - the last one ended too recently for its duration: the job waits until `nextRecomputeAt`.
 * A worker that stops mid-run puts the job back, delayed as if just queued: a job still running
 * when its worker's connections are cut would have BullMQ retry its failure forever.
 */
async function runRecompute(infra: Infra, runs: RecomputeRuns, job: Job<RecomputeJobData>, token: string | undefined, stopping: StopCheck): Promise<RecomputeOutcome> {
  const { sellerId } = job.data;
  const last = await runs.last(sellerId);
  if (last && last.startedAt > job.timestamp) return 'covered';
  if (await importRunning(infra.db, sellerId, 2 * infra.config.jobs.lockMs)) return 'importing';
  const notBefore = last ? nextRecomputeAt(last, infra.config.intelligence.recomputeDelayMs) : 0;
  if (notBefore > Date.now()) {
    await job.moveToDelayed(notBefore, token);
    throw new DelayedError();
  }
  const startedAt = Date.now();
  const timings = await recomputeSeller(infra.db, sellerId, new Date(), stopping).catch(async (error: unknown) => {
    if (!(error instanceof RecomputeInterrupted)) throw error;
    await job.moveToDelayed(Date.now() + infra.config.intelligence.recomputeDelayMs, token);
    throw new DelayedError();
  });
  const endedAt = Date.now();
  await runs.record(sellerId, { startedAt, endedAt });
  return { ...timings, totalMs: endedAt - startedAt };
}

export function startIntelligence(infra: Infra): WorkerPart {
  const runs = new RecomputeRuns(infra.redis, infra.config.redisPrefix);
  let stopping = false;
  const worker = createWorker<RecomputeJobData>(
    infra.config,
    INTELLIGENCE_QUEUE,
    async (job, token) => {
      const outcome = await runRecompute(infra, runs, job, token, () => stopping);
      infra.log.debug({ sellerId: job.data.sellerId, outcome }, 'seller intelligence recompute');
      return outcome;
    },
    // one seller at a time per worker: a recompute is CPU work in this process
    { concurrency: 1, lockDuration: infra.config.jobs.lockMs },
  );
  worker.on('error', (err) => infra.log.warn({ err }, 'intelligence worker error'));
  return {
    name: 'intelligence',
    stop: async () => {
      stopping = true;
      // a running recompute ends at its next step (one SQL statement at most): give it the shutdown time
      await closeWorker(worker, Math.max(5000, infra.config.shutdownTimeoutMs - 2000));
    },
  };
}
