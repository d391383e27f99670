import type { Job, JobsOptions } from 'bullmq';
import { createHash } from 'node:crypto';
import type { Infra } from '../../infra/connect.js';
import type { Database } from '../../infra/prisma.js';
import { closeWorker, createWorker } from '../../infra/queues.js';
import type { WorkerPart } from '../../worker.js';
import type { EventTypeName } from '../events/event.contract.js';
import { applyLifecycleBatch, applyLifecycleRanges } from './analytics.repository.js';

export const ANALYTICS_QUEUE = 'analytics';
/**
 * Relay batches that span several sellers: one job for all of them. A queue of its own, so a
 * worker of a version that knows only ANALYTICS_QUEUE never takes such a job and drops ranges.
 */
export const ANALYTICS_PASS_QUEUE = 'analytics-pass';

/** What the analytics consumer takes (events.md): not LowStockWarning. */
export const ANALYTICS_EVENT_TYPES: readonly EventTypeName[] = ['ProductCreated', 'ProductUpdated', 'ProductDeleted'];

/**
 * One relay batch of one seller: its events fromSequence..toSequence (inclusive). The consumer
 * reads them from the event log, so Redis holds no copy of it.
 */
export interface AnalyticsJobData {
  sellerId: string;
  fromSequence: number;
  toSequence: number;
}

/** One relay pass of several sellers: each seller's range, as in AnalyticsJobData. */
export interface AnalyticsPassJobData {
  ranges: AnalyticsJobData[];
}

/** Deterministic, like analyticsJobId: the same ranges give the same id. */
export const analyticsPassJobId = (d: AnalyticsPassJobData) =>
  `pass-${createHash('sha256')
    .update(d.ranges.map((r) => `${r.sellerId}\n${r.fromSequence}\n${r.toSequence}`).join('\n'))
    .digest('hex')}`;

/** Deterministic: relaying the same batch again adds nothing (BullMQ ids may not contain ":", hence the encoding). */
export const analyticsJobId = (d: AnalyticsJobData) => `${encodeURIComponent(d.sellerId)}-${d.fromSequence}-${d.toSequence}`;

/** 1 + 10 retries, exponential from 2 s (the analytics consumer of events.md). */
export const ANALYTICS_JOB_OPTIONS: JobsOptions = {
  attempts: 11,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false, // kept for inspection
};

export class AnalyticsConsumer {
  constructor(private readonly db: Database) {}

  /**
   * Applies each event of the batch once, however often it (or an overlapping batch) is
   * delivered: the inbox remembers eventIds. Returns how many events it counted.
   */
  async process(job: Pick<Job<AnalyticsJobData>, 'data'>): Promise<{ applied: number; upserts: number }> {
    const { sellerId, fromSequence, toSequence } = job.data;
    return applyLifecycleBatch(this.db, sellerId, fromSequence, toSequence, ANALYTICS_EVENT_TYPES);
  }

  /** process for a pass of several sellers, in one statement; each event once, however often delivered. */
  async processPass(job: Pick<Job<AnalyticsPassJobData>, 'data'>): Promise<{ applied: number; upserts: number }> {
    return applyLifecycleRanges(this.db, job.data.ranges, ANALYTICS_EVENT_TYPES);
  }
}

export function startAnalytics(infra: Infra): WorkerPart {
  const consumer = new AnalyticsConsumer(infra.db);
  const worker = createWorker<AnalyticsJobData>(infra.config, ANALYTICS_QUEUE, (job) => consumer.process(job), { concurrency: 10 });
  const passes = createWorker<AnalyticsPassJobData>(infra.config, ANALYTICS_PASS_QUEUE, (job) => consumer.processPass(job), { concurrency: 10 });
  for (const w of [worker, passes]) w.on('error', (err) => infra.log.warn({ err }, 'analytics worker error'));
  return { name: 'analytics', stop: async () => void (await Promise.all([closeWorker(worker), closeWorker(passes)])) };
}
