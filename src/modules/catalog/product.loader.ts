import { sellerOf, type Context } from '../../graphql/context.js';
import { byKeys, requestLoader } from '../../graphql/request-loaders.js';
import type { ProductRecord } from './product.model.js';

/** The caller's products by id, batched per request; another seller's or a deleted product loads as null. */
export function productLoader(ctx: Context) {
  const sellerId = sellerOf(ctx);
  return requestLoader<number, ProductRecord | null>(ctx, 'product', async (ids) =>
    byKeys(ids, await ctx.services.catalog.productsByIds(sellerId, ids), (p) => p.id),
  );
}
