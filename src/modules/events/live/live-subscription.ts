import type { EventRecord } from '../event.model.js';
import type { EventStream, StreamItem } from './event-stream.js';

export type LiveItem<T> = { kind: 'value'; value: T } | { kind: 'overflow'; cursor: string | null };

/** Receives a live subscription's items in order (push mode). */
export interface LiveConsumer<T> {
  /** False while earlier items are still being written; call the returned resume() when that changes. */
  canTake(): boolean;
  /**
   * One item. `shareKey` is the sequence of the event it was made from when every subscription
   * with the same arguments gets the same item for it (so its result can be shared), else null.
   */
  deliver(item: LiveItem<T>, shareKey: number | null): void;
  end(failure?: unknown): void;
}

/**
 * What a live subscription field's `subscribe` returns: a few items of its own first (a
 * snapshot), then one per accepted event of its stream. Pulled as an async iterator by
 * graphql-js, or pushed to a consumer that shares work between identical subscriptions.
 */
export class LiveSubscription<T> implements AsyncIterableIterator<LiveItem<T>> {
  private readonly initial: LiveItem<T>[];

  constructor(
    private readonly stream: EventStream,
    private readonly fromEvent: (event: EventRecord) => T,
    private readonly overflowCursor: (lastSequence: number) => string | null,
    initial: T[] = [],
  ) {
    this.initial = initial.map((value) => ({ kind: 'value', value }));
  }

  private toItem(item: StreamItem): LiveItem<T> {
    return item.kind === 'event' ? { kind: 'value', value: this.fromEvent(item.event) } : { kind: 'overflow', cursor: this.overflowCursor(item.lastSequence) };
  }

  async next(): Promise<IteratorResult<LiveItem<T>>> {
    const first = this.initial.shift();
    if (first) return { done: false, value: first };
    const r = await this.stream.next();
    return r.done ? { done: true, value: undefined } : { done: false, value: this.toItem(r.value) };
  }

  /** Pushes every item to the consumer from now on, in order; the iterator is no longer pulled. */
  push(consumer: LiveConsumer<T>): { resume: () => void } {
    for (const item of this.initial.splice(0)) consumer.deliver(item, null);
    this.stream.attach({
      canTake: () => consumer.canTake(),
      item: (item) => consumer.deliver(this.toItem(item), item.kind === 'event' ? item.event.sequence : null),
      end: (failure) => consumer.end(failure),
    });
    return { resume: () => this.stream.resume() };
  }

  async return(): Promise<IteratorResult<LiveItem<T>>> {
    this.initial.length = 0;
    await this.stream.return();
    return { done: true, value: undefined };
  }

  async throw(err: unknown): Promise<IteratorResult<LiveItem<T>>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
