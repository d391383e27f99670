import type { Database } from '../../infra/prisma.js';
import type { Queues } from '../../infra/queues.js';
import type { EventTypeName } from '../events/event.contract.js';
import type { EventRecord } from '../events/event.model.js';
import {
  ANALYTICS_EVENT_TYPES,
  ANALYTICS_JOB_OPTIONS,
  ANALYTICS_PASS_QUEUE,
  ANALYTICS_QUEUE,
  analyticsJobId,
  analyticsPassJobId,
  type AnalyticsJobData,
  type AnalyticsPassJobData,
} from './analytics.jobs.js';
import { badUserInput } from '../../graphql/errors.js';
import { countEvents, eventsPerMinute, stockMetrics, type StockMetrics } from './analytics.repository.js';

/** The longest span eventsPerMinute covers: one day. */
export const MAX_RATE_MINUTES = 1440;

export class AnalyticsService {
  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
  ) {}

  metrics(sellerId: string): Promise<StockMetrics> {
    return stockMetrics(this.db, sellerId);
  }

  /** Every lifecycle type, with 0 for those without events. */
  async eventCounts(sellerId: string, since: Date | null): Promise<{ type: EventTypeName; count: number }[]> {
    const counts = await countEvents(this.db, sellerId, since);
    return ANALYTICS_EVENT_TYPES.map((type) => ({ type, count: counts.get(type) ?? 0 }));
  }

  /** Events per minute over the last `minutes` minutes (1 to MAX_RATE_MINUTES), oldest first. */
  eventsPerMinute(sellerId: string, minutes: number): Promise<{ minute: Date; count: number }[]> {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_RATE_MINUTES) throw badUserInput(`minutes must be 1-${MAX_RATE_MINUTES}`);
    return eventsPerMinute(this.db, sellerId, minutes);
  }

  /**
   * Queues the analytics of a relay batch: one job for one seller's consecutive events, or one
   * pass job for a batch that spans sellers (the relay's pass serves every seller behind), so
   * many sellers with an event or two each cost one job, not one each. Called by the relay, at
   * least once per event.
   */
  async enqueueEvents(events: EventRecord[]): Promise<void> {
    const ranges = new Map<string, AnalyticsJobData>();
    for (const e of events) {
      if (!ANALYTICS_EVENT_TYPES.includes(e.type)) continue;
      const range = ranges.get(e.sellerId);
      if (!range) ranges.set(e.sellerId, { sellerId: e.sellerId, fromSequence: e.sequence, toSequence: e.sequence });
      else {
        range.fromSequence = Math.min(range.fromSequence, e.sequence);
        range.toSequence = Math.max(range.toSequence, e.sequence);
      }
    }
    if (ranges.size === 0) return;
    if (ranges.size === 1) {
      const data = [...ranges.values()][0]!;
      await this.queues.get<AnalyticsJobData>(ANALYTICS_QUEUE).add('batch', data, { ...ANALYTICS_JOB_OPTIONS, jobId: analyticsJobId(data) });
      return;
    }
    const pass: AnalyticsPassJobData = { ranges: [...ranges.values()] };
    await this.queues.get<AnalyticsPassJobData>(ANALYTICS_PASS_QUEUE).add('pass', pass, { ...ANALYTICS_JOB_OPTIONS, jobId: analyticsPassJobId(pass) });
  }
}
