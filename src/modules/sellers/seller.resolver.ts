import { Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { GlobalIdField } from '../../graphql/global-id-fields.js';
import { Node } from '../../graphql/node.js';

@ObjectType({ description: 'A seller: the owner of products, stock and events.', implements: Node })
export class Seller {
  @GlobalIdField('Seller') id!: string;
}

@Resolver(() => Seller)
export class SellerResolver {
  @Query(() => Seller, { description: 'The authenticated seller.' })
  viewer(@Ctx() ctx: Context): Seller {
    return { id: sellerOf(ctx) };
  }

  // a COUNT query: costs a point though it is a scalar (src/limits/cost.ts)
  @FieldResolver(() => Int, { complexity: 1 })
  productCount(@Root() seller: Seller, @Ctx() ctx: Context) {
    return ctx.services.catalog.productCount(seller.id);
  }
}
