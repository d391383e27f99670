import type { Job, JobsOptions } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import type { Database } from '../../infra/prisma.js';
import { closeWorker, createWorker } from '../../infra/queues.js';
import type { WorkerPart } from '../../worker.js';
import type { EventTypeName } from '../events/event.contract.js';
import { applyLifecycleBatch } from './analytics.repository.js';

export const ANALYTICS_QUEUE = 'analytics';

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
}

export function startAnalytics(infra: Infra): WorkerPart {
  const consumer = new AnalyticsConsumer(infra.db);
  const worker = createWorker<AnalyticsJobData>(infra.config, ANALYTICS_QUEUE, (job) => consumer.process(job), { concurrency: 10 });
  worker.on('error', (err) => infra.log.warn({ err }, 'analytics worker error'));
  return { name: 'analytics', stop: () => closeWorker(worker) };
}
