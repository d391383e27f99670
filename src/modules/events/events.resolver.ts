import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { EventConnection, EventFilter } from './event.types.js';

@Resolver()
export class EventsResolver {
  @Query(() => EventConnection, { description: "The seller's event log, oldest first; the same cursors resume subscriptions." })
  events(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => EventFilter, { nullable: true }) filter: EventFilter | null,
    @Arg('last', () => Int, { nullable: true, description: 'The newest events (before the cursor in before, if given), still listed oldest first.' }) last: number | null,
    @Arg('before', () => String, { nullable: true }) before: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.events.events(sellerOf(ctx), { first, after, last, before, filter });
  }
}
