import type { Job, JobsOptions } from 'bullmq';
import type { Infra } from '../../infra/connect.js';
import type { Database } from '../../infra/prisma.js';
import { closeWorker, createWorker } from '../../infra/queues.js';
import type { WorkerPart } from '../../worker.js';
import type { EventTypeName } from '../events/event.contract.js';
import { applyLifecycleEvent } from './analytics.repository.js';

export const ANALYTICS_QUEUE = 'analytics';

/** What the analytics consumer takes (events.md): not LowStockWarning. */
export const ANALYTICS_EVENT_TYPES: readonly EventTypeName[] = ['ProductCreated', 'ProductUpdated', 'ProductDeleted'];

/** The envelope fields analytics needs; the product itself stays out of Redis. */
export interface AnalyticsJobData {
  eventId: string;
  eventType: EventTypeName;
  sellerId: string;
  timestamp: string;
  sequence: number;
}

/** Deterministic: relaying an event again adds nothing (BullMQ ids may not contain ":", hence the encoding). */
export const analyticsJobId = (eventId: string) => encodeURIComponent(eventId);

/** 1 + 10 retries, exponential from 2 s (the analytics consumer of events.md). */
export const ANALYTICS_JOB_OPTIONS: JobsOptions = {
  attempts: 11,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false, // kept for inspection
};

export class AnalyticsConsumer {
  constructor(private readonly db: Database) {}

  /** Applies the event once, however often it is delivered (the inbox remembers eventIds). */
  async process(job: Pick<Job<AnalyticsJobData>, 'data'>): Promise<'applied' | 'duplicate' | 'ignored'> {
    const e = job.data;
    if (!ANALYTICS_EVENT_TYPES.includes(e.eventType)) return 'ignored';
    const applied = await applyLifecycleEvent(this.db, { eventId: e.eventId, sellerId: e.sellerId, eventType: e.eventType, occurredAt: new Date(e.timestamp) });
    return applied ? 'applied' : 'duplicate';
  }
}

export function startAnalytics(infra: Infra): WorkerPart {
  const consumer = new AnalyticsConsumer(infra.db);
  const worker = createWorker<AnalyticsJobData>(infra.config, ANALYTICS_QUEUE, (job) => consumer.process(job), { concurrency: 10 });
  worker.on('error', (err) => infra.log.warn({ err }, 'analytics worker error'));
  return { name: 'analytics', stop: () => closeWorker(worker) };
}
