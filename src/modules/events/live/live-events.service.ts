import { GraphQLError } from 'graphql';
import type { Config } from '../../../config.js';
import { badUserInput } from '../../../graphql/errors.js';
import type { Logger } from '../../../infra/logger.js';
import type { Database } from '../../../infra/prisma.js';
import { available, isLowStock } from '../../catalog/product.model.js';
import { parseProductId } from '../../catalog/product.service.js';
import { sequenceOfCursor, eventCursor } from '../event.cursor.js';
import type { EventRecord } from '../event.model.js';
import { listEvents } from '../events.repository.js';
import { toEventQuery, type EventFilterArgs } from '../events.service.js';
import type { EventBus } from './event-bus.js';
import { EventStream, type EventSource } from './event-stream.js';
import { LiveSubscription, type LiveItem } from './live-subscription.js';
import { headSequence, stockSnapshot } from './live.repository.js';
import { SellerFeeds } from './seller-feed.js';
import type { StockLevel } from './stock-level.types.js';

/** What a subscription knows about its transport. */
export interface SubscriptionTransport {
  /** True when the client reads slower than events arrive. */
  isBackedUp: () => boolean;
  /** Set when the transport sends pre-serialized results itself (shared by identical subscriptions). */
  frames?: FrameSink;
}

/** Sends one subscription's results: the transport wraps the payload in its own frame. */
export interface FrameSink {
  /** Sends one `next` message whose payload is this JSON text (an ExecutionResult). */
  next(payloadJson: string): void;
  /** Messages sent and not yet handed to the operating system. */
  readonly inFlight: number;
  /** Called whenever a message was handed to the operating system. */
  onWritten: (() => void) | undefined;
}

const MAX_STOCK_PRODUCTS = 1000;

/** The error that ends a subscription whose client fell behind; it tells where to resume. */
export function resumeError(cursor: string | null): GraphQLError {
  return new GraphQLError('The subscriber fell too far behind; subscribe again with after set to the last cursor received', {
    extensions: { code: 'RESUME_FROM_CURSOR', cursor },
  });
}

export class LiveEventsService {
  private readonly source: EventSource;
  /** One live feed per seller in this process, shared by all its subscriptions. */
  readonly feeds: SellerFeeds;

  constructor(
    private readonly db: Database,
    bus: EventBus,
    private readonly config: Config['subscriptions'],
    log: Logger,
  ) {
    const readAfter = (sellerId: string, after: number, limit: number) => listEvents(db, sellerId, after, limit);
    this.feeds = new SellerFeeds(
      {
        subscribe: (sellerId, listener) => bus.subscribe(sellerId, listener),
        onResync: (listener) => bus.onResync(listener),
        readAfter,
        head: (sellerId) => headSequence(db, sellerId),
      },
      log,
    );
    bus.countStreams(() => this.feeds.size);
    this.source = { readAfter, join: (sellerId, member) => this.feeds.join(sellerId, member) };
  }

  /** The seller's events after a cursor (or from now), replayed then live, filtered. */
  async events(sellerId: string, args: { after?: string | null } & EventFilterArgs, transport?: SubscriptionTransport): Promise<LiveSubscription<EventRecord>> {
    const query = toEventQuery(args);
    const after = args.after != null ? sequenceOfCursor(sellerId, args.after) : await headSequence(this.db, sellerId);
    const accept = (e: EventRecord) =>
      query !== null && (!query.types || query.types.includes(e.type)) && (!query.productIds || query.productIds.includes(e.productId));
    const stream = await this.open(sellerId, after, accept, transport);
    return new LiveSubscription(stream, (event) => event, (lastSequence) => cursorAt(sellerId, lastSequence));
  }

  /** Current stock of the products, then every change, with nothing lost in between. */
  async stockLevels(sellerId: string, productIds: string[] | null | undefined, transport?: SubscriptionTransport): Promise<LiveSubscription<StockLevel>> {
    let ids: number[] | undefined;
    if (productIds) {
      if (productIds.length > MAX_STOCK_PRODUCTS) throw badUserInput(`At most ${MAX_STOCK_PRODUCTS} productIds`);
      ids = productIds.map(parseProductId).filter((id): id is number => id !== null);
    }
    const snapshot = await stockSnapshot(this.db, sellerId, ids);
    const stream = await this.open(sellerId, snapshot.sequence, (e) => isStockChange(e) && (!ids || ids.includes(e.productId)), transport);
    return new LiveSubscription(
      stream,
      (event) => {
        const product = event.payload.product!;
        return level({ id: product.id, quantity: product.quantity, reserved: product.reserved, lowStockThreshold: product.lowStockThreshold, updatedAt: new Date(product.updatedAt) });
      },
      () => null,
      snapshot.rows.map(level),
    );
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

export type { LiveItem };
