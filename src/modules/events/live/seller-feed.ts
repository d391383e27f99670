import type { Logger } from '../../../infra/logger.js';
import { RerunningTask } from './rerunning-task.js';
import { writeBatch } from './write-batch.js';
import type { EventRecord } from '../event.model.js';

/** What a feed needs from the outside: the live channel and the events table. */
export interface FeedSource {
  /** Subscribes to a seller's live events; resolves when the subscription is active. */
  subscribe(sellerId: string, listener: (event: EventRecord) => void): Promise<() => void>;
  /** Called when the live channel may have missed messages. */
  onResync(listener: () => void): () => void;
  /** Committed events of the seller after a sequence, oldest first. */
  readAfter(sellerId: string, afterSequence: number, limit: number): Promise<EventRecord[]>;
  /** The seller's log head. */
  head(sellerId: string): Promise<number>;
}

export interface FeedMember {
  /** The next event of the seller's log: each once, in sequence order, no gap. */
  event(event: EventRecord): void;
  /** The feed could not read a gap back; the member ends. */
  failed(err: unknown): void;
}

const PAGE = 500;
/**
 * The longest stretch the feed hands out events without letting the rest of the process run:
 * a mutation's transaction needs a turn of the event loop per statement, and holds its row
 * locks meanwhile.
 */
const SLICE_MS = 3;
/** Members visited between two looks at the clock. */
const CLOCK_EVERY = 16;
/** Events one pass hands each member at most (a feed that fell further behind needs more passes). */
const PASS_EVENTS = 64;

/**
 * One seller's live events in this process, shared by every subscription of the seller:
 * one Redis subscription, and one catch-up read after a gap, a repeat or a Redis reconnect,
 * whose events reach every member in order. Members see a gap-free sequence from the
 * feed's position on; what came before it each member reads itself.
 */
class SellerFeed {
  readonly members = new Set<FeedMember>();
  /** The last sequence handed to members; undefined until the head was read. */
  private last: number | undefined;
  private closed = false;
  private readonly catchingUp = new RerunningTask(
    () => this.readBack(),
    // members end (their clients resume from their cursors); the next live event retries
    (err) => {
      for (const member of [...this.members]) member.failed(err);
    },
    () => this.closed,
  );
  private release: (() => void)[] = [];
  /** Events waiting for the next pass over the members. */
  private readonly sending: EventRecord[] = [];
  /** The events of the pass under way, and the members it has still to visit. */
  private passing: EventRecord[] = [];
  private visiting: Iterator<FeedMember> | undefined;
  /** A pass is under way or scheduled. */
  private busy = false;
  readonly started: Promise<void>;

  constructor(
    private readonly sellerId: string,
    private readonly source: FeedSource,
    private readonly log: Logger,
  ) {
    this.started = this.start();
  }

  /** The position every member is at, when no catch-up is running. */
  get settledPosition(): number | undefined {
    return this.catchingUp.isRunning ? undefined : this.last;
  }

  private async start(): Promise<void> {
    this.release.push(await this.source.subscribe(this.sellerId, (event) => this.onLive(event)));
    this.release.push(this.source.onResync(() => this.catchUp()));
    // subscribed first: anything committed after this read arrives live or is read back
    const head = await this.source.head(this.sellerId);
    this.last = head;
    this.catchUp();
  }

  private onLive(event: EventRecord): void {
    if (this.closed) return;
    if (this.last === undefined) return; // start() reads back from the head it is reading
    if (this.catchingUp.isRunning) return this.catchingUp.request();
    if (event.sequence <= this.last) return;
    if (event.sequence === this.last + 1) this.deliver(event);
    else this.catchUp();
  }

  private deliver(event: EventRecord): void {
    this.last = event.sequence;
    this.sending.push(event);
    if (!this.busy) this.send();
  }

  /**
   * Hands the queued events to every member in passes: each member gets all of a pass's
   * events in order (a feed behind writes them to a subscriber's socket in one go), at most
   * SLICE_MS at a time, so the rest of the process (requests, Redis replies, timers) runs in
   * between. Members joining meanwhile are visited too (a Set's iterator sees them); they
   * ignore what their position already covers.
   */
  private send(): void {
    this.busy = true;
    const until = performance.now() + SLICE_MS;
    let visited = 0;
    for (;;) {
      if (this.closed) {
        this.sending.length = 0;
        this.passing = [];
        this.visiting = undefined;
        this.busy = false;
        return;
      }
      if (this.visiting === undefined) {
        if (this.sending.length === 0) {
          this.busy = false;
          return;
        }
        this.passing = this.sending.splice(0, PASS_EVENTS);
        this.visiting = this.members.values();
      }
      const events = this.passing;
      const batched = events.length > 1;
      for (let next = this.visiting.next(); !next.done; next = this.visiting.next()) {
        if (batched) writeBatch.begin();
        for (const event of events) {
          try {
            next.value.event(event);
          } catch (err) {
            this.log.error({ err }, 'live feed: member failed');
          }
        }
        if (batched) writeBatch.end();
        if (++visited % CLOCK_EVERY === 0 && performance.now() > until) {
          setImmediate(() => this.send());
          return;
        }
      }
      this.visiting = undefined;
    }
  }

  private catchUp(): void {
    if (this.closed || this.last === undefined) return;
    this.catchingUp.request();
  }

  private async readBack(): Promise<void> {
    for (;;) {
      const from = this.last!;
      const events = await this.source.readAfter(this.sellerId, from, PAGE);
      for (const event of events) if (!this.closed && event.sequence === this.last! + 1) this.deliver(event);
      if (events.length < PAGE || this.closed || this.last === from) return;
    }
  }

  close(): void {
    this.closed = true;
    for (const release of this.release.splice(0)) release();
  }
}

/** The feeds of this process, one per seller with subscribers; a feed closes with its last member. */
export class SellerFeeds {
  private readonly feeds = new Map<string, SellerFeed>();
  private memberCount = 0;

  constructor(
    private readonly source: FeedSource,
    private readonly log: Logger,
  ) {}

  /** Subscriptions listening in this process. */
  get size(): number {
    return this.memberCount;
  }

  /** Adds a member once the seller's live channel is active; returns its release. */
  async join(sellerId: string, member: FeedMember): Promise<{ leave: () => void; settledPosition: () => number | undefined }> {
    let feed = this.feeds.get(sellerId);
    if (!feed) {
      feed = new SellerFeed(sellerId, this.source, this.log);
      this.feeds.set(sellerId, feed);
    }
    feed.members.add(member);
    this.memberCount++;
    const joined = feed;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.memberCount--;
      joined.members.delete(member);
      if (joined.members.size === 0 && this.feeds.get(sellerId) === joined) {
        this.feeds.delete(sellerId);
        void joined.started.then(() => joined.close(), () => joined.close());
      }
    };
    try {
      await joined.started;
    } catch (err) {
      leave();
      if (this.feeds.get(sellerId) === joined) this.feeds.delete(sellerId);
      throw err;
    }
    return { leave, settledPosition: () => joined.settledPosition };
  }
}
