import pg from 'pg';
import type { Logger } from '../../../infra/logger.js';
import type { Database } from '../../../infra/prisma.js';
import type { EventRecord } from '../event.model.js';
import { nextEventsOf, saveRelayPositions, sellersBehind } from '../relay.repository.js';
import { RerunningTask } from './rerunning-task.js';

/** Any fixed key; all workers contend for it so that one relays at a time. */
const RELAY_LOCK_KEY = 7_301_001;
/** At most this many events of one seller per pass. */
const BATCH = 500;
/** At most about this many events per pass, shared by the sellers behind. */
const PASS_EVENTS = 2000;

export interface RelayOptions {
  databaseUrl: string;
  pollMs: number;
  lockRetryMs: number;
  /** Publishes one seller's events, in sequence order; resolves when all are out. */
  publish: (events: EventRecord[]) => Promise<void>;
  /**
   * Subscribes to the wake-ups writers send after committing events (EventBus.onRelayWake).
   * Without it the relay only polls: every event still goes out, one poll interval later at most.
   */
  wakeups?: (listener: () => void) => Promise<() => void>;
}

/**
 * Publishes committed events in each seller's sequence order, at least once.
 * Wakes on the wake-up a writer sends after its commit (no NOTIFY inside the transaction:
 * that serializes every commit on a cluster-wide lock) and polls every pollMs as the safety
 * net, so a lost wake-up costs one poll interval. It keeps its position per seller in
 * relay_positions and holds a session advisory lock on a connection of its own: a relay that
 * dies loses the connection and with it the lock, so another worker's relay takes over at its next try.
 */
export class OutboxRelay {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly draining = new RerunningTask(
    () => this.drain(),
    (err) => this.log.error({ err }, 'relay: publishing failed; will retry'),
    () => this.stopped,
  );
  private leading = false;
  private stopWakeups: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: RelayOptions,
    private readonly log: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.listen();
    void this.tryToLead();
  }

  private async listen(): Promise<void> {
    try {
      const stop = await this.options.wakeups?.(() => this.wake());
      if (this.stopped) stop?.();
      else this.stopWakeups = stop;
    } catch (err) {
      this.log.warn({ err }, 'relay: not listening for wake-ups; polling only');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWakeups?.();
    clearTimeout(this.timer);
    await this.draining.settled();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.leading = false;
  }

  private schedule(fn: () => void, ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(fn, ms);
  }

  private async tryToLead(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = new pg.Client({ connectionString: this.options.databaseUrl });
      client.on('error', (err) => this.lostLeadership(err));
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!rows[0]?.locked || this.stopped) {
        await client.end();
        return this.schedule(() => void this.tryToLead(), this.options.lockRetryMs);
      }
      this.client = client;
      this.leading = true;
      client.on('end', () => this.lostLeadership());
      this.log.info('relay: leading; publishing the outbox');
      this.poll();
    } catch (err) {
      this.log.warn({ err }, 'relay: could not take the lead; retrying');
      this.schedule(() => void this.tryToLead(), this.options.lockRetryMs);
    }
  }

  private lostLeadership(err?: Error): void {
    if (!this.leading || this.stopped) return;
    this.log.warn({ err }, 'relay: lost its database session; trying to lead again');
    this.leading = false;
    this.client = undefined;
    this.schedule(() => void this.tryToLead(), this.options.lockRetryMs);
  }

  private poll(): void {
    this.wake();
    this.schedule(() => this.poll(), this.options.pollMs);
  }

  /** Drains until nothing is pending; a wake during a drain runs one more pass. */
  wake(): void {
    if (!this.leading || this.stopped) return;
    this.draining.request();
  }

  /**
   * One pass serves every seller behind at once: one read of their next events, one publish
   * (each seller's events in sequence order), one write of their positions, so many sellers
   * with an event or two each cost three round trips, not three per seller.
   */
  private async drain(): Promise<void> {
    for (;;) {
      const behind = await sellersBehind(this.db, 100);
      if (behind.length === 0 || this.stopped) return;
      const events = await nextEventsOf(this.db, behind, Math.max(1, Math.min(BATCH, Math.floor(PASS_EVENTS / behind.length))));
      if (events.length === 0 || this.stopped) return;
      await this.options.publish(events);
      const positions = new Map<string, number>();
      for (const e of events) positions.set(e.sellerId, e.sequence);
      await saveRelayPositions(this.db, [...positions].map(([sellerId, sequence]) => ({ sellerId, sequence })));
    }
  }
}
