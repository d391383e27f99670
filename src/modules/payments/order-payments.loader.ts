import { sellerOf, type Context } from '../../graphql/context.js';
import { requestLoader } from '../../graphql/request-loaders.js';
import type { PaymentRecord } from './payment.model.js';

/** The payments of the caller's orders by order id, batched per request. */
export function orderPaymentsLoader(ctx: Context) {
  const sellerId = sellerOf(ctx);
  return requestLoader<number, PaymentRecord[]>(ctx, 'order-payments', async (orderIds) => {
    const rows = await ctx.services.payments.paymentsOfOrders(sellerId, orderIds);
    return orderIds.map((id) => rows.filter((p) => p.orderId === id));
  });
}
