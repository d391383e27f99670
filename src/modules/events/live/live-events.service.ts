import { GraphQLError } from 'graphql';
import type { SharedPayload } from '../../../graphql/transports/shared-payload.js';
import type { Config } from '../../../config.js';
import type { Logger } from '../../../infra/logger.js';
import type { Database } from '../../../infra/prisma.js';
import { assertCursorRetained, eventCursor, sequenceOfCursor } from '../event.cursor.js';
import type { EventRecord } from '../event.model.js';
import { firstRetainedSequence, listEvents } from '../events.repository.js';
import { toEventQuery, type EventFilterArgs } from '../events.service.js';
import type { EventBus } from './event-bus.js';
import { EventStream, type EventSource } from './event-stream.js';
import { LiveSubscription, type LiveItem } from './live-subscription.js';
import { headSequence } from './live.repository.js';
import { SellerFeeds } from './seller-feed.js';
import { planStockLevels, stockLevelOfEvent } from './stock-levels.js';
import type { StockLevel } from './stock-level.types.js';

/** What a subscription knows about its transport. */
export interface SubscriptionTransport {
  /** True when the client reads slower than events arrive. */
  isBackedUp: () => boolean;
  /** Set when the transport sends pre-serialized results itself (shared by identical subscriptions). */
  frames?: FrameSink;
}

/** Sends one subscription's results: the transport wraps the shared payload in its own frame. */
export interface FrameSink {
  /** Sends one `next` message with this payload; false when the transport's buffer is full (wait for onDrain). */
  next(payload: SharedPayload): boolean;
  /** Calls resume once the transport can take frames again. */
  onDrain(resume: () => void): void;
}

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
    if (args.after != null && after > 0) assertCursorRetained(sellerId, after, await firstRetainedSequence(this.db, sellerId));
    const accept = (e: EventRecord) =>
      query !== null && (!query.types || query.types.includes(e.type)) && (!query.productIds || query.productIds.includes(e.productId));
    const stream = await this.open(sellerId, after, accept, transport);
    return new LiveSubscription(stream, (event) => event, (lastSequence) => cursorAt(sellerId, lastSequence));
  }

  /** Current stock of the products (at most 1,000), then every change, with nothing lost in between. */
  async stockLevels(sellerId: string, productIds: string[] | null | undefined, transport?: SubscriptionTransport): Promise<LiveSubscription<StockLevel>> {
    const plan = await planStockLevels(this.db, sellerId, productIds);
    const stream = await this.open(sellerId, plan.sequence, plan.accept, transport);
    return new LiveSubscription(stream, stockLevelOfEvent, () => null, plan.snapshot);
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



export type { LiveItem };
