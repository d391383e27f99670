import type { EventRecord } from '../event.model.js';

export interface EventSource {
  /** Committed events of the seller after a sequence, oldest first. */
  readAfter(sellerId: string, afterSequence: number, limit: number): Promise<EventRecord[]>;
  /** Subscribes to live events; resolves when the subscription is active. */
  subscribe(sellerId: string, listener: (event: EventRecord) => void): Promise<() => void>;
  /** Called when the live channel may have missed messages. */
  onResync(listener: () => void): () => void;
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
export class EventStream implements AsyncIterableIterator<StreamItem> {
  private last: number;
  private readonly ready: EventRecord[] = [];
  private waiter: { resolve: (result: IteratorResult<StreamItem>) => void; reject: (err: unknown) => void } | undefined;
  private delivered: number;
  private catchingUp: Promise<void> | undefined;
  private catchUpAgain = false;
  private done = false;
  private overflowed = false;
  private failure: unknown;
  private cleanup: (() => void)[] = [];

  constructor(
    private readonly source: EventSource,
    private readonly options: EventStreamOptions,
  ) {
    this.last = options.afterSequence;
    this.delivered = options.afterSequence;
  }

  /** Subscribes live first, then replays, so an event committed meanwhile cannot fall between. */
  async start(): Promise<this> {
    this.cleanup.push(await this.source.subscribe(this.options.sellerId, (event) => this.onLive(event)));
    this.cleanup.push(this.source.onResync(() => this.catchUp()));
    this.catchUp();
    return this;
  }

  get position(): number {
    return this.last;
  }

  private onLive(event: EventRecord): void {
    if (this.done || event.sequence <= this.last) return;
    if (event.sequence === this.last + 1 && !this.catchingUp) this.take(event);
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
    this.ready.push(event);
    this.flush();
  }

  private catchUp(): void {
    if (this.done) return;
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = (async () => {
      do {
        this.catchUpAgain = false;
        for (;;) {
          const events = await this.source.readAfter(this.options.sellerId, this.last, PAGE);
          for (const event of events) if (event.sequence > this.last && !this.done && !this.overflowed) this.take(event);
          if (events.length < PAGE || this.done || this.overflowed) break;
        }
      } while (this.catchUpAgain && !this.done);
    })()
      .catch((err: unknown) => {
        this.failure = err;
        this.flush();
      })
      .finally(() => {
        this.catchingUp = undefined;
      });
  }

  private flush(): void {
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

  private nextItem(): IteratorResult<StreamItem> | undefined {
    if (this.done) return { done: true, value: undefined };
    if (!this.overflowed && this.ready.length === 0) return undefined;
    if (this.overflowed || (this.options.isBackedUp?.() ?? false)) {
      // the client has every event up to the last one handed out, and resumes from there
      const lastSequence = this.delivered;
      void this.return();
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

  async return(): Promise<IteratorResult<StreamItem>> {
    if (!this.done) {
      this.done = true;
      for (const release of this.cleanup.splice(0)) release();
      this.ready.length = 0;
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.resolve({ done: true, value: undefined });
    }
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
