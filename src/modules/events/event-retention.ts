import type { Config } from '../../config.js';
import type { Logger } from '../../infra/logger.js';
import type { Database } from '../../infra/prisma.js';
import { trimEventsBefore } from './events.repository.js';

const DAY_MS = 24 * 3600 * 1000;
/** Rows per DELETE: short statements, so trimming never holds locks or WAL for long. */
const TRIM_BATCH = 5000;

/**
 * Deletes events older than EVENT_RETENTION_DAYS, oldest first, in small batches through the
 * created_at index. A cursor that pointed into the trimmed part then gets CURSOR_EXPIRED.
 * (Monthly partitions would make this a DROP, but Prisma migrations cannot declare a
 * partitioned table and keep the unique keys on eventId and (seller, sequence), which a
 * partitioned table may only have if they include the partition key.)
 */
export class EventRetention {
  constructor(
    private readonly db: Database,
    private readonly settings: Config['eventRetention'],
    private readonly log: Logger,
  ) {}

  /** Trims everything older than the retention at `now`; returns how many events it deleted. */
  async trim(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.settings.days * DAY_MS);
    let total = 0;
    for (;;) {
      const deleted = await trimEventsBefore(this.db, cutoff, TRIM_BATCH);
      total += deleted;
      if (deleted < TRIM_BATCH) break;
    }
    if (total > 0) this.log.info({ deleted: total, cutoff }, 'event retention: trimmed the event log');
    return total;
  }

  /** Trims now and then every trimIntervalMs; returns the stop function. */
  start(): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const run = () => {
      running = this.trim().catch((err: unknown) => this.log.warn({ err }, 'event retention: trim failed; will retry'));
    };
    run();
    const timer = setInterval(run, this.settings.trimIntervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}
