import type { EventRecord } from '../event.model.js';
import type { FeedMember } from './seller-feed.js';
import { RerunningTask } from './rerunning-task.js';

export interface EventSource {
  /** Committed events of the seller after a sequence, oldest first. */
  readAfter(sellerId: string, afterSequence: number, limit: number): Promise<EventRecord[]>;
  /**
   * Joins the seller's shared live feed (gap-free from its position on); resolves when it is
   * active. `settledPosition` is where the feed is when no catch-up runs.
   */
  join(sellerId: string, member: FeedMember): Promise<{ leave: () => void; settledPosition: () => number | undefined }>;
}

/** Takes a stream's items as they come (push mode), instead of pulling them with next(). */
export interface StreamConsumer {
  /** False while the consumer's earlier items are still being written: the next ones wait (and count against maxBuffered). */
  canTake(): boolean;
  item(item: StreamItem): void;
  /** The stream ended: after an overflow, on return(), or with the failure that ended it. */
  end(failure?: unknown): void;
}

export interface EventStreamOptions {
  sellerId: string;
  /** Deliver events after this sequence. */
  afterSequence: number;
  /** Which events to deliver; the others still advance the position. */
  accept: (event: EventRecord) => boolean;
  /** At most this many events wait for the client; beyond it the stream ends with `overflow`. */
  maxBuffered: number;
  /** True when the transport cannot send as fast as events come (e.g. socket buffer full). */
  isBackedUp?: () => boolean;
}

export type StreamItem = { kind: 'event'; event: EventRecord } | { kind: 'overflow'; lastSequence: number };

const PAGE = 500;

/**
 * A seller's events after a cursor, replayed from the database and then live, each
 * once and in sequence order. Live messages are only a hint: any gap, duplicate or
 * reconnect falls back to reading the events table, so nothing is missed or repeated.
 */
export class EventStream implements AsyncIterableIterator<StreamItem>, FeedMember {
  private last: number;
  private readonly ready: EventRecord[] = [];
  private waiter: { resolve: (result: IteratorResult<StreamItem>) => void; reject: (err: unknown) => void } | undefined;
  private delivered: number;
  private done = false;
  private overflowed = false;
  private failure: unknown;
  private cleanup: (() => void)[] = [];
  private consumer: StreamConsumer | undefined;
  private readonly catchingUp = new RerunningTask(
    () => this.readBack(),
    (err) => {
      this.failure = err;
      this.flush();
    },
    () => this.done,
  );

  constructor(
    private readonly source: EventSource,
    private readonly options: EventStreamOptions,
  ) {
    this.last = options.afterSequence;
    this.delivered = options.afterSequence;
  }

  /** Joins the live feed first, then replays, so an event committed meanwhile cannot fall between. */
  async start(): Promise<this> {
    const membership = await this.source.join(this.options.sellerId, this);
    this.cleanup.push(membership.leave);
    // a feed that has handed out everything up to our position leaves nothing to read back
    const settled = membership.settledPosition();
    if (settled === undefined || settled > this.last) this.catchUp();
    return this;
  }

  /** Switches to push mode: every item goes to the consumer as soon as it is ready, in order. */
  attach(consumer: StreamConsumer): void {
    this.consumer = consumer;
    this.flush();
  }

  /** The consumer can take items again. */
  resume(): void {
    if (this.consumer) this.flush();
  }

  event(event: EventRecord): void {
    this.onLive(event);
  }

  failed(err: unknown): void {
    if (this.done) return;
    this.failure = err;
    this.flush();
  }

  get position(): number {
    return this.last;
  }

  private onLive(event: EventRecord): void {
    if (this.done || event.sequence <= this.last) return;
    if (event.sequence === this.last + 1 && !this.catchingUp.isRunning) this.take(event);
    else this.catchUp();
  }

  private take(event: EventRecord): void {
    this.last = event.sequence;
    if (!this.options.accept(event)) return;
    if (this.ready.length >= this.options.maxBuffered) {
      this.overflowed = true;
      this.flush();
      return;
    }
    const consumer = this.consumer;
    if (consumer && this.ready.length === 0 && !this.overflowed && this.failure === undefined && consumer.canTake() && !(this.options.isBackedUp?.() ?? false)) {
      // the usual case of a live subscriber keeping up: straight to its consumer
      this.delivered = event.sequence;
      consumer.item({ kind: 'event', event });
      return;
    }
    this.ready.push(event);
    this.flush();
  }

  private catchUp(): void {
    if (this.done) return;
    this.catchingUp.request();
  }

  private async readBack(): Promise<void> {
    for (;;) {
      const events = await this.source.readAfter(this.options.sellerId, this.last, PAGE);
      for (const event of events) if (event.sequence > this.last && !this.done && !this.overflowed) this.take(event);
      if (events.length < PAGE || this.done || this.overflowed) return;
    }
  }

  private flush(): void {
    if (this.consumer) {
      this.push(this.consumer);
      return;
    }
    const waiter = this.waiter;
    if (!waiter) return;
    if (this.failure !== undefined) {
      this.waiter = undefined;
      const failure = this.failure;
      void this.return();
      waiter.reject(failure);
      return;
    }
    const item = this.nextItem();
    if (item) {
      this.waiter = undefined;
      waiter.resolve(item);
    }
  }

  private push(consumer: StreamConsumer): void {
    if (this.failure !== undefined) {
      this.consumer = undefined;
      void this.return();
      consumer.end(this.failure);
      return;
    }
    for (;;) {
      if (!this.done && !this.overflowed && this.ready.length > 0 && !consumer.canTake()) return;
      const item = this.nextItem();
      if (!item) return;
      if (item.done) {
        this.consumer = undefined;
        consumer.end();
        return;
      }
      consumer.item(item.value);
    }
  }

  private nextItem(): IteratorResult<StreamItem> | undefined {
    if (this.done) return { done: true, value: undefined };
    if (!this.overflowed && this.ready.length === 0) return undefined;
    if (this.overflowed || (this.options.isBackedUp?.() ?? false)) {
      // the client has every event up to the last one handed out, and resumes from there
      const lastSequence = this.delivered;
      this.finish();
      return { done: false, value: { kind: 'overflow', lastSequence } };
    }
    const event = this.ready.shift()!;
    this.delivered = event.sequence;
    return { done: false, value: { kind: 'event', event } };
  }

  next(): Promise<IteratorResult<StreamItem>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const item = this.nextItem();
    if (item) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Stops listening; a pending next() resolves done, a consumer hears of it at its next item. */
  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const release of this.cleanup.splice(0)) release();
    this.ready.length = 0;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
  }

  async return(): Promise<IteratorResult<StreamItem>> {
    this.finish();
    const consumer = this.consumer;
    this.consumer = undefined;
    consumer?.end();
    return { done: true, value: undefined };
  }

  async throw(err: unknown): Promise<IteratorResult<StreamItem>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
