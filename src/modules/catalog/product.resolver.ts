import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { StockMovementConnection } from '../inventory/stock-movement.types.js';
import { available, isLowStock, type ProductView } from './product.model.js';
import { CreateProductInput, ProductFilter, ProductOrder, UpdateProductInput } from './product.inputs.js';
import { connectionProductColumns, productColumns } from './product.selection.js';
import { CategoryStock, DeleteProductPayload, Product, ProductConnection, ProductPayload } from './product.types.js';

@ArgsType()
class ProductsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => Int, { nullable: true }) last?: number | null;
  @Field(() => String, { nullable: true }) before?: string | null;
  @Field(() => ProductFilter, { nullable: true }) filter?: ProductFilter | null;
  @Field(() => ProductOrder, { nullable: true, description: 'Default: CREATED_AT ASC. Ties break on id.' }) orderBy?: ProductOrder | null;
}

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true })
  product(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.services.catalog.product(sellerOf(ctx), id, productColumns(info));
  }

  @Query(() => Product, { nullable: true })
  productBySku(@Arg('sku', () => String) sku: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.services.catalog.productBySku(sellerOf(ctx), sku, productColumns(info));
  }

  @Query(() => ProductConnection)
  products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.services.catalog.products(sellerOf(ctx), args, connectionProductColumns(info));
  }

  @Query(() => [CategoryStock], { description: "Units on hand per category of the seller's products (at most 500 categories)." })
  stockByCategory(@Ctx() ctx: Context) {
    return ctx.services.catalog.stockByCategory(sellerOf(ctx));
  }

  @Mutation(() => ProductPayload)
  createProduct(@Arg('input', () => CreateProductInput) input: CreateProductInput, @Ctx() ctx: Context) {
    return ctx.services.catalog.createProduct(sellerOf(ctx), { ...input });
  }

  @Mutation(() => ProductPayload, { description: 'Partial update. With expectedVersion, fails with VERSION_CONFLICT if the product changed since.' })
  updateProduct(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateProductInput) input: UpdateProductInput, @Ctx() ctx: Context) {
    return ctx.services.catalog.updateProduct(sellerOf(ctx), id, { ...input });
  }

  @Mutation(() => DeleteProductPayload)
  deleteProduct(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.catalog.deleteProduct(sellerOf(ctx), id);
  }

  @FieldResolver(() => Int, { description: 'quantity - reserved: what can still be sold.' })
  available(@Root() product: ProductView) {
    // product.selection.ts reads quantity and reserved whenever available is selected
    return available({ quantity: product.quantity!, reserved: product.reserved! });
  }

  @FieldResolver(() => Boolean, { description: 'available <= lowStockThreshold.' })
  isLowStock(@Root() product: ProductView) {
    return isLowStock({ quantity: product.quantity!, reserved: product.reserved!, lowStockThreshold: product.lowStockThreshold! });
  }

  @FieldResolver(() => StockMovementConnection, { description: 'Every change of on-hand stock, oldest first.' })
  stockMovements(
    @Root() product: ProductView,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.inventory.stockMovements(product.sellerId, product.id, { first, after });
  }
}
