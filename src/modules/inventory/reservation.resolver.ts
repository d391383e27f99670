import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { productLoader } from '../catalog/product.loader.js';
import { Product } from '../catalog/product.types.js';
import type { ReservationItemRecord } from './reservation.model.js';
import { ReserveStockInput } from './reservation.inputs.js';
import { Reservation, ReservationItem, ReservationPayload } from './reservation.types.js';

@Resolver(() => Reservation)
export class ReservationResolver {
  @Query(() => Reservation, { nullable: true, description: "One of the seller's reservations; null if there is none with this id." })
  reservation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.reservations.reservation(sellerOf(ctx), id);
  }

  @Mutation(() => ReservationPayload, { description: 'Hold stock for a checkout, all items or none. Never lets available stock go below zero.' })
  reserveStock(@Arg('input', () => ReserveStockInput) input: ReserveStockInput, @Ctx() ctx: Context) {
    return ctx.services.reservations.reserveStock(sellerOf(ctx), { ...input, items: input.items.map((i) => ({ ...i })) });
  }

  @Mutation(() => ReservationPayload, { description: 'Turn a held reservation into a sale: on-hand stock goes down by the reserved quantities.' })
  commitReservation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.reservations.commitReservation(sellerOf(ctx), id);
  }

  @Mutation(() => ReservationPayload, { description: 'Give held stock back. Expired reservations are released by the system.' })
  releaseReservation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.reservations.releaseReservation(sellerOf(ctx), id);
  }
}

@Resolver(() => ReservationItem)
export class ReservationItemResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product as it is now; null once deleted.' })
  product(@Root() item: ReservationItemRecord, @Ctx() ctx: Context) {
    return productLoader(ctx).load(item.productId);
  }
}
