import { GraphQLError } from 'graphql';
import type { Config } from '../../../config.js';
import type { Database } from '../../../infra/prisma.js';
import { assertCursorRetained, eventCursor, sequenceOfCursor } from '../event.cursor.js';
import type { EventRecord } from '../event.model.js';
import { firstRetainedSequence, listEvents } from '../events.repository.js';
import { toEventQuery, type EventFilterArgs } from '../events.service.js';
import type { EventBus } from './event-bus.js';
import { EventStream, type EventSource, type StreamItem } from './event-stream.js';
import { headSequence } from './live.repository.js';
import { openStockLevels } from './stock-levels.js';
import type { StockLevel } from './stock-level.types.js';

/** What a subscription knows about its transport. */
export interface SubscriptionTransport {
  /** True when the client reads slower than events arrive. */
  isBackedUp: () => boolean;
}

export type LiveItem<T> = { kind: 'value'; value: T } | { kind: 'overflow'; cursor: string | null };

/** The error that ends a subscription whose client fell behind; it tells where to resume. */
export function resumeError(cursor: string | null): GraphQLError {
  return new GraphQLError('The subscriber fell too far behind; subscribe again with after set to the last cursor received', {
    extensions: { code: 'RESUME_FROM_CURSOR', cursor },
  });
}

export class LiveEventsService {
  private readonly source: EventSource;

  constructor(
    private readonly db: Database,
    bus: EventBus,
    private readonly config: Config['subscriptions'],
  ) {
    this.source = {
      readAfter: (sellerId, after, limit) => listEvents(db, sellerId, after, limit),
      subscribe: (sellerId, listener) => bus.subscribe(sellerId, listener),
      onResync: (listener) => bus.onResync(listener),
    };
  }

  /** The seller's events after a cursor (or from now), replayed then live, filtered. */
  async events(sellerId: string, args: { after?: string | null } & EventFilterArgs, transport?: SubscriptionTransport): Promise<AsyncIterable<LiveItem<EventRecord>>> {
    const query = toEventQuery(args);
    const after = args.after != null ? sequenceOfCursor(sellerId, args.after) : await headSequence(this.db, sellerId);
    if (args.after != null && after > 0) assertCursorRetained(sellerId, after, await firstRetainedSequence(this.db, sellerId));
    const accept = (e: EventRecord) =>
      query !== null && (!query.types || query.types.includes(e.type)) && (!query.productIds || query.productIds.includes(e.productId));
    const stream = await this.open(sellerId, after, accept, transport);
    return map(stream, (item) => (item.kind === 'event' ? { kind: 'value', value: item.event } : { kind: 'overflow', cursor: cursorAt(sellerId, item.lastSequence) }));
  }

  /** Current stock of the products (at most 1,000), then every change, with nothing lost in between. */
  async stockLevels(sellerId: string, productIds: string[] | null | undefined, transport?: SubscriptionTransport): Promise<AsyncIterable<LiveItem<StockLevel>>> {
    return openStockLevels({ db: this.db, open: (seller, after, accept) => this.open(seller, after, accept, transport), isBackedUp: transport?.isBackedUp }, sellerId, productIds);
  }

  private async open(sellerId: string, afterSequence: number, accept: (e: EventRecord) => boolean, transport?: SubscriptionTransport) {
    return new EventStream(this.source, {
      sellerId,
      afterSequence,
      accept,
      maxBuffered: this.config.bufferEvents,
      isBackedUp: transport?.isBackedUp,
    }).start();
  }
}

function cursorAt(sellerId: string, sequence: number): string | null {
  return sequence > 0 ? eventCursor(sellerId, sequence) : null;
}



function map<T, U>(source: AsyncIterableIterator<T>, fn: (item: T) => U): AsyncIterableIterator<U> {
  return {
    next: async () => {
      const r = await source.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: fn(r.value) };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}


export type { StreamItem };
