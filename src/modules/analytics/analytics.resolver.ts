import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { toScreamingCase } from '../events/event.contract.js';
import type { EventType } from '../events/event.types.js';
import type { StockMetrics } from './analytics.repository.js';
import { EventCount, EventRate, SellerMetrics } from './analytics.types.js';

type MetricsRoot = StockMetrics & { sellerId: string };

@Resolver(() => SellerMetrics)
export class AnalyticsResolver {
  @Query(() => SellerMetrics)
  async sellerMetrics(@Ctx() ctx: Context): Promise<MetricsRoot> {
    const sellerId = sellerOf(ctx);
    return { sellerId, ...(await ctx.services.analytics.metrics(sellerId)) };
  }

  @FieldResolver(() => [EventCount], { description: 'Lifecycle event counts per type since the given time (default: all time).' })
  async eventCounts(@Root() root: MetricsRoot, @Arg('since', () => DateTimeScalar, { nullable: true }) since: Date | null, @Ctx() ctx: Context): Promise<EventCount[]> {
    const counts = await ctx.services.analytics.eventCounts(root.sellerId, since ?? null);
    return counts.map((c) => ({ eventType: toScreamingCase(c.type) as EventType, count: c.count }));
  }

  @FieldResolver(() => [EventRate], {
    description: 'Events of every type per minute over the last `minutes` minutes (1-1440), oldest first, the current minute last; counted from the event log.',
  })
  eventsPerMinute(@Root() root: MetricsRoot, @Arg('minutes', () => Int, { defaultValue: 30 }) minutes: number, @Ctx() ctx: Context): Promise<EventRate[]> {
    return ctx.services.analytics.eventsPerMinute(root.sellerId, minutes);
  }
}
