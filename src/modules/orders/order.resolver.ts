import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { customerLoader } from '../customers/customer.loader.js';
import { Customer } from '../customers/customer.types.js';
import { productLoader } from '../catalog/product.loader.js';
import { Product } from '../catalog/product.types.js';
import { reservationLoader } from '../inventory/reservation.loader.js';
import { Reservation } from '../inventory/reservation.types.js';
import type { OrderItemRecord, OrderRecord } from './order.model.js';
import { PlaceOrderInput } from './order.inputs.js';
import { Order, OrderConnection, OrderItem, OrderPayload, OrderStatus } from './order.types.js';

@ArgsType()
class OrdersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this status.' }) status?: OrderStatus | null;
}

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, { nullable: true, description: "One of the seller's orders; null if there is none with this id." })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.orders.order(sellerOf(ctx), id);
  }

  @Query(() => OrderConnection, { description: "The seller's orders, newest first." })
  orders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() ctx: Context) {
    return ctx.services.orders.orders(sellerOf(ctx), args);
  }

  @Mutation(() => OrderPayload, { description: 'Reserve stock for the items and create a PENDING order.' })
  placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: Context) {
    return ctx.services.orders.placeOrder(sellerOf(ctx), { ...input, items: input.items.map((i) => ({ ...i })), customer: input.customer ? { ...input.customer } : null });
  }

  @Mutation(() => OrderPayload, { description: 'Move an order along PENDING -> CONFIRMED -> SHIPPED -> DELIVERED; CONFIRMED commits its reservation.' })
  updateOrderStatus(@Arg('id', () => ID) id: string, @Arg('status', () => OrderStatus) status: OrderStatus, @Ctx() ctx: Context) {
    return ctx.services.orders.updateOrderStatus(sellerOf(ctx), id, status);
  }

  @Mutation(() => OrderPayload, { description: 'Cancel a PENDING or CONFIRMED order; held or sold stock goes back.' })
  cancelOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.orders.cancelOrder(sellerOf(ctx), id);
  }

  @FieldResolver(() => Int, { description: "The order's number: what emails and receipts call it (\"Order #12\")." })
  number(@Root() order: OrderRecord): number {
    return order.id;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Who the order is for, if anyone.' })
  customer(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    return order.customerId === null ? null : customerLoader(ctx).load(order.customerId);
  }

  @FieldResolver(() => Reservation, { nullable: true, description: 'The reservation holding (or that held) the stock of this order.' })
  reservation(@Root() order: OrderRecord, @Ctx() ctx: Context) {
    return reservationLoader(ctx).load(order.reservationId);
  }
}

@Resolver(() => OrderItem)
export class OrderItemResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product as it is now; null once deleted.' })
  product(@Root() item: OrderItemRecord, @Ctx() ctx: Context) {
    return productLoader(ctx).load(item.productId);
  }
}
