import { DelayedError, UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import type { Logger } from '../../infra/logger.js';
import { closeWorker, createWorker, fairProcessor } from '../../infra/queues.js';
import { SellerSlots } from '../../infra/seller-slots.js';
import type { Services } from '../../services.js';
import type { WorkerPart } from '../../worker.js';
import { downloadUrlOf, type JobRecord } from './job.model.js';
import { completeJob, failJob, requeueJob, saveExportProgress, startJob } from './jobs.repository.js';
import { runProductExport } from './product-export.js';
import { CsvFileError } from './product-csv.js';
import { JobTakenOver, runProductImport, type BulkRunContext } from './product-import.js';
import { runSalesImport } from './sales-import.js';

export const BULK_QUEUE = 'bulk';

export interface BulkJobData {
  jobId: string;
  /** The job's seller, for per-seller fairness (absent on jobs queued before it was recorded). */
  sellerId?: string;
}

/** Running bulk jobs per seller: one seller's imports cannot hold every worker slot. */
export const BULK_JOBS_PER_SELLER = 1;
/** How soon a job whose seller is busy is picked again. */
const BULK_SELLER_RETRY_MS = 500;

/** The BullMQ job id is our job id, so adding the same job twice queues it once. */
export const bulkJobOptions = (jobId: string): JobsOptions => ({
  jobId,
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: false, // kept for inspection
});

const JOB_NAMES: Record<JobRecord['kind'], string> = { PRODUCT_IMPORT: 'product-import', PRODUCT_EXPORT: 'product-export', SALES_IMPORT: 'sales-import' };
export const bulkJobName = (job: Pick<JobRecord, 'kind'>) => JOB_NAMES[job.kind];

/** Runs imports and exports for BullMQ; the jobs table says where each one stands. */
export class BulkJobRunner {
  private closing = false;

  constructor(
    private readonly ctx: Omit<BulkRunContext, 'stopping'>,
    private readonly log: Logger,
  ) {}

  /** From now on, running jobs stop after their current batch and go back to the queue. */
  stop(): void {
    this.closing = true;
  }

  async process(bullJob: Job<BulkJobData>, token?: string): Promise<string> {
    const { jobId } = bullJob.data;
    const job = await startJob(this.ctx.db, jobId);
    if (!job) return 'already finished';
    await this.ctx.changed(jobId);
    const ctx: BulkRunContext = { ...this.ctx, stopping: () => this.closing };
    try {
      if (job.kind === 'PRODUCT_IMPORT') {
        if ((await runProductImport(ctx, job)) === 'interrupted') return await this.handBack(bullJob, token);
        await completeJob(this.ctx.db, jobId);
        await this.ctx.blobs.delete(job.blobKey);
        await this.ctx.importEnded(job.sellerId);
      } else if (job.kind === 'SALES_IMPORT') {
        if ((await runSalesImport(ctx, job)) === 'interrupted') return await this.handBack(bullJob, token);
        await completeJob(this.ctx.db, jobId);
        await this.ctx.blobs.delete(job.blobKey);
        await this.ctx.importEnded(job.sellerId);
      } else {
        const { outcome, rows } = await runProductExport(ctx, job);
        if (outcome === 'interrupted') return await this.handBack(bullJob, token);
        await saveExportProgress(this.ctx.db, jobId, rows);
        await completeJob(this.ctx.db, jobId, { downloadUrl: downloadUrlOf(jobId), totalRows: rows });
      }
      await this.ctx.changed(jobId);
      return 'completed';
    } catch (error) {
      if (error instanceof DelayedError || error instanceof JobTakenOver) throw error;
      const permanent = error instanceof CsvFileError;
      const final = permanent || bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
      if (!permanent) this.log.error({ err: error, jobId, attempt: bullJob.attemptsMade + 1 }, 'bulk job attempt failed');
      const message = permanent ? (error as Error).message : final ? 'The job failed unexpectedly' : 'The job failed unexpectedly; it will be retried';
      await failJob(this.ctx.db, jobId, message, final);
      await this.ctx.changed(jobId);
      // a failed job is not resumed (a retry finds it FAILED): its upload is of no more use
      if (final && job.kind !== 'PRODUCT_EXPORT') {
        await this.ctx.blobs.delete(job.blobKey);
        // the batches it committed changed the catalog or the sales history
        await this.ctx.importEnded(job.sellerId);
      }
      throw permanent ? new UnrecoverableError(message) : error;
    }
  }

  /** Shutdown: the committed position is saved; the next worker resumes from it. */
  private async handBack(bullJob: Job<BulkJobData>, token: string | undefined): Promise<never> {
    await requeueJob(this.ctx.db, bullJob.data.jobId);
    await this.ctx.changed(bullJob.data.jobId);
    await bullJob.moveToDelayed(Date.now() + 100, token);
    throw new DelayedError();
  }
}

export function startBulkJobs(infra: Infra, services: Services): WorkerPart {
  const runner = new BulkJobRunner(
    { db: infra.db, databaseUrl: infra.config.databaseUrl, blobs: services.bulk.blobs, batchRows: infra.config.jobs.importBatchRows, changed: (id) => services.bulk.changed(id),
      importEnded: (sellerId) => services.intelligence.schedule(sellerId),
    },
    infra.log,
  );
  const fairness = {
    slots: new SellerSlots(infra.redis, `${infra.config.redisPrefix}:seller-slots:${BULK_QUEUE}`, BULK_JOBS_PER_SELLER, infra.config.jobs.lockMs),
    sellerOf: (job: Job<BulkJobData>) => job.data.sellerId ?? null,
    retryMs: BULK_SELLER_RETRY_MS,
    log: infra.log,
  };
  const worker = createWorker<BulkJobData>(infra.config, BULK_QUEUE, fairProcessor(fairness, (job, token) => runner.process(job, token)), {
    concurrency: 2,
    // a killed worker's job is taken over once its lock expires
    lockDuration: infra.config.jobs.lockMs,
    stalledInterval: infra.config.jobs.lockMs,
    maxStalledCount: 3,
  });
  worker.on('error', (err) => infra.log.warn({ err }, 'bulk worker error'));
  return {
    name: 'bulk-jobs',
    stop: async () => {
      runner.stop();
      // the running import commits its batch and goes back to the queue: give it most of the shutdown time
      await closeWorker(worker, Math.max(5000, infra.config.shutdownTimeoutMs - 2000));
    },
  };
}
