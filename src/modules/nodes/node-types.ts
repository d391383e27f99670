import { sellerOf, type Context } from '../../graphql/context.js';
import { registerNode } from '../../graphql/node-registry.js';
import { byKeys, requestLoader } from '../../graphql/request-loaders.js';
import { productLoader } from '../catalog/product.loader.js';
import { reservationLoader } from '../inventory/reservation.loader.js';

/** A per-request batch loader of the caller's rows of one type, by key (another seller's load as null). */
function byId<K, V extends { id: K }>(name: string, find: (ctx: Context, sellerId: string, keys: readonly K[]) => Promise<V[]>) {
  return (ctx: Context, key: K): Promise<V | null> => {
    const sellerId = sellerOf(ctx);
    return requestLoader<K, V | null>(ctx, `node:${name}`, async (keys) => byKeys(keys, await find(ctx, sellerId, keys), (row) => row.id)).load(key);
  };
}

// Every type reachable through node(id:) and nodes(ids:): one line each (README "Global ids").
registerNode('Product', 'serial', (ctx, key) => productLoader(ctx).load(key));
registerNode('Order', 'serial', byId('Order', (ctx, seller, keys: readonly number[]) => ctx.services.orders.ordersByIds(seller, keys)));
registerNode('Reservation', 'serial', (ctx, key) => reservationLoader(ctx).load(key));
registerNode('StockMovement', 'serial', byId('StockMovement', (ctx, seller, keys: readonly number[]) => ctx.services.inventory.movementsByIds(seller, keys)));
registerNode('Job', 'uuid', byId('Job', (ctx, seller, keys: readonly string[]) => ctx.services.bulk.jobsByIds(seller, keys)));
registerNode('Webhook', 'uuid', byId('Webhook', (ctx, seller, keys: readonly string[]) => ctx.services.webhooks.webhooksByIds(seller, keys)));
registerNode('Customer', 'serial', byId('Customer', (ctx, seller, keys: readonly number[]) => ctx.services.customers.customersByIds(seller, keys)));
registerNode('Payment', 'serial', byId('Payment', (ctx, seller, keys: readonly number[]) => ctx.services.payments.paymentsByIds(seller, keys)));
registerNode('Notification', 'serial', byId('Notification', (ctx, seller, keys: readonly number[]) => ctx.services.notifications.notificationsByIds(seller, keys)));
registerNode('Seller', 'text', async (ctx, key) => (key === sellerOf(ctx) ? { id: key } : null));
