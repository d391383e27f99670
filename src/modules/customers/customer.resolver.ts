import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { OrderConnection } from '../orders/order.types.js';
import type { CustomerRecord } from './customer.model.js';
import { Customer, CustomerConnection } from './customer.types.js';

@ArgsType()
class CustomersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => String, { nullable: true, description: 'Part of the email, name or phone, any case.' }) search?: string | null;
}

@ArgsType()
class CustomerOrdersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: "One of the seller's customers; null if there is none with this id." })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.customers.customer(sellerOf(ctx), id);
  }

  @Query(() => CustomerConnection, { description: "The seller's customers, newest first." })
  customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx: Context) {
    return ctx.services.customers.customers(sellerOf(ctx), args);
  }

  @FieldResolver(() => ID)
  id(@Root() customer: CustomerRecord): string {
    return toGlobalId('Customer', customer.id);
  }

  @FieldResolver(() => OrderConnection, { description: "The customer's orders, newest first." })
  orders(@Root() customer: CustomerRecord, @Args(() => CustomerOrdersArgs) args: CustomerOrdersArgs, @Ctx() ctx: Context) {
    return ctx.services.orders.orders(sellerOf(ctx), args, customer.id);
  }
}
