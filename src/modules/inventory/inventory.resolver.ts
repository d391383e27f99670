import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import { ProductPayload } from '../catalog/product.types.js';
import { AdjustStockInput } from './inventory.inputs.js';

@Resolver()
export class InventoryResolver {
  @Mutation(() => ProductPayload, { description: 'Change on-hand stock by delta, recorded as a stock movement. Idempotent per idempotencyKey.' })
  adjustStock(@Arg('input', () => AdjustStockInput) input: AdjustStockInput, @Ctx() ctx: Context) {
    return ctx.services.inventory.adjustStock(sellerOf(ctx), { ...input });
  }
}
