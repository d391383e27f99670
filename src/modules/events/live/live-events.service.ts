import { GraphQLError } from 'graphql';
import type { Config } from '../../../config.js';
import { badUserInput } from '../../../graphql/errors.js';
import type { Database } from '../../../infra/prisma.js';
import { available, isLowStock } from '../../catalog/product.model.js';
import { parseProductId } from '../../catalog/product.service.js';
import { assertCursorRetained, eventCursor, sequenceOfCursor } from '../event.cursor.js';
import type { EventRecord } from '../event.model.js';
import { firstRetainedSequence, listEvents } from '../events.repository.js';
import { toEventQuery, type EventFilterArgs } from '../events.service.js';
import type { EventBus } from './event-bus.js';
import { EventStream, type EventSource, type StreamItem } from './event-stream.js';
import { headSequence, stockSnapshot } from './live.repository.js';
import type { StockLevel } from './stock-level.types.js';

/** What a subscription knows about its transport. */
export interface SubscriptionTransport {
  /** True when the client reads slower than events arrive. */
  isBackedUp: () => boolean;
}

export type LiveItem<T> = { kind: 'value'; value: T } | { kind: 'overflow'; cursor: string | null };

const MAX_STOCK_PRODUCTS = 1000;

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

  /** Current stock of the products, then every change, with nothing lost in between. */
  async stockLevels(sellerId: string, productIds: string[] | null | undefined, transport?: SubscriptionTransport): Promise<AsyncIterable<LiveItem<StockLevel>>> {
    let ids: number[] | undefined;
    if (productIds) {
      if (productIds.length > MAX_STOCK_PRODUCTS) throw badUserInput(`At most ${MAX_STOCK_PRODUCTS} productIds`);
      ids = productIds.map(parseProductId).filter((id): id is number => id !== null);
    }
    const snapshot = await stockSnapshot(this.db, sellerId, ids);
    const stream = await this.open(sellerId, snapshot.sequence, (e) => isStockChange(e) && (!ids || ids.includes(e.productId)), transport);
    const initial: LiveItem<StockLevel>[] = snapshot.rows.map((row) => ({ kind: 'value', value: level(row) }));
    const changes = map(stream, (item): LiveItem<StockLevel> => {
      if (item.kind === 'overflow') return { kind: 'overflow', cursor: null };
      const product = item.event.payload.product!;
      return { kind: 'value', value: level({ id: product.id, quantity: product.quantity, reserved: product.reserved, lowStockThreshold: product.lowStockThreshold, updatedAt: new Date(product.updatedAt) }) };
    });
    return prepend(initial, changes);
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

function isStockChange(e: EventRecord): boolean {
  if (e.type === 'ProductCreated') return true;
  if (e.type !== 'ProductUpdated') return false;
  const changes = e.payload.changes ?? {};
  return 'quantity' in changes || 'reserved' in changes || 'lowStockThreshold' in changes;
}

function level(p: { id: number; quantity: number; reserved: number; lowStockThreshold: number; updatedAt: Date }): StockLevel {
  return { productId: p.id, quantity: p.quantity, reserved: p.reserved, available: available(p), isLowStock: isLowStock(p), updatedAt: p.updatedAt };
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

function prepend<T>(first: T[], rest: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  const queue = [...first];
  return {
    next: async () => (queue.length > 0 ? { done: false, value: queue.shift()! } : rest.next()),
    return: async () => {
      queue.length = 0;
      await rest.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export type { StreamItem };
