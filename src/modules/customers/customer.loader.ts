import { sellerOf, type Context } from '../../graphql/context.js';
import { byKeys, requestLoader } from '../../graphql/request-loaders.js';
import type { CustomerRecord } from './customer.model.js';

/** The caller's customers by id, batched per request; another seller's loads as null. */
export function customerLoader(ctx: Context) {
  const sellerId = sellerOf(ctx);
  return requestLoader<number, CustomerRecord | null>(ctx, 'customer', async (ids) =>
    byKeys(ids, await ctx.services.customers.customersByIds(sellerId, ids), (c) => c.id),
  );
}
