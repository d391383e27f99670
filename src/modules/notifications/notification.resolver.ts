import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { requestLoader } from '../../graphql/request-loaders.js';
import type { OrderRecord } from '../orders/order.model.js';
import { Order } from '../orders/order.types.js';
import type { NotificationRecord } from './notification.model.js';
import { Notification, NotificationConnection, NotificationSettings, NotificationSettingsInput, NotificationSettingsPayload } from './notification.types.js';

@ArgsType()
class NotificationsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only the notifications of this order.' }) orderId?: string | null;
}

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: "The seller's notifications, newest first." })
  notifications(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() ctx: Context) {
    return ctx.services.notifications.notifications(sellerOf(ctx), args);
  }

  @Query(() => NotificationSettings)
  notificationSettings(@Ctx() ctx: Context) {
    return ctx.services.notifications.settings(sellerOf(ctx));
  }

  @Mutation(() => NotificationSettingsPayload, { description: 'Turns email, SMS or single templates off (or on again) for the seller.' })
  updateNotificationSettings(@Arg('input', () => NotificationSettingsInput) input: NotificationSettingsInput, @Ctx() ctx: Context) {
    return ctx.services.notifications.updateSettings(sellerOf(ctx), { ...input });
  }

  @FieldResolver(() => ID)
  id(@Root() notification: NotificationRecord): string {
    return toGlobalId('Notification', notification.id);
  }
}

@Resolver(() => Order)
export class OrderNotificationsResolver {
  @FieldResolver(() => [Notification], { description: 'Oldest first.' })
  notifications(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    const sellerId = sellerOf(ctx);
    return requestLoader<number, NotificationRecord[]>(ctx, 'order-notifications', async (orderIds) => {
      const rows = await ctx.services.notifications.notificationsOfOrders(sellerId, orderIds);
      return orderIds.map((id) => rows.filter((n) => n.orderId === id));
    }).load(order.id);
  }
}
