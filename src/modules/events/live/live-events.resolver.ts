import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { sellerOf, type Context } from '../../../graphql/context.js';
import type { EventRecord } from '../event.model.js';
import { Event, EventType, LowStockWarning, type EventView } from '../event.types.js';
import { toEventView } from '../event.view.js';
import { valueOf } from './live-field-resolvers.js';
import type { LiveItem } from './live-events.service.js';
import { StockLevel } from './stock-level.types.js';

/** Only declares the fields: their results are resolved by live-field-resolvers.ts (synchronously). */
@Resolver()
export class LiveEventsResolver {
  @Subscription(() => Event, {
    description:
      "The seller's product events, live. With after, replays the events after that cursor first, then continues live: no gap, no duplicate, in order.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.live.events(sellerOf(ctx), args, ctx.transport);
    },
  })
  productEvents(
    @Root() item: LiveItem<EventRecord>,
    @Arg('after', () => String, { nullable: true, description: 'A cursor from an event, a subscription message or the events query.' }) _after: string | null,
    @Arg('types', () => [EventType], { nullable: true }) _types: EventType[] | null,
    @Arg('productIds', () => [ID], { nullable: true }) _productIds: string[] | null,
  ): EventView {
    return toEventView(valueOf(item));
  }

  @Subscription(() => LowStockWarning, {
    description: 'Low-stock warnings of the seller, live, resumable like productEvents.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.live.events(sellerOf(ctx), { after: args.after, types: [EventType.LOW_STOCK_WARNING] }, ctx.transport);
    },
  })
  lowStockWarnings(@Root() item: LiveItem<EventRecord>, @Arg('after', () => String, { nullable: true }) _after: string | null): EventView {
    return toEventView(valueOf(item));
  }

  @Subscription(() => StockLevel, {
    description: "Current stock of the given products (or all of the seller's), first as they are now, then on every change.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.live.stockLevels(sellerOf(ctx), args.productIds, ctx.transport);
    },
  })
  stockLevels(@Root() item: LiveItem<StockLevel>, @Arg('productIds', () => [ID], { nullable: true }) _productIds: string[] | null): StockLevel {
    return valueOf(item);
  }
}
