import { checkAccess, QUERY_ACCESS } from '../../graphql/access-policy.js';
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

/** Nodes only the roles of a listing query may read (users, apiKeys): others get that query's FORBIDDEN. */
function asListedBy<K, V>(query: string, load: (ctx: Context, key: K) => Promise<V | null>) {
  return (ctx: Context, key: K): Promise<V | null> => {
    checkAccess(ctx.viewer, `${query} (through node)`, QUERY_ACCESS[query]);
    return load(ctx, key);
  };
}

/** Like byId, for views whose id is already a global id: `find` pairs each view with its key. */
function byKey<V>(name: string, find: (ctx: Context, sellerId: string, keys: readonly string[]) => Promise<{ key: string; view: V }[]>) {
  return (ctx: Context, key: string): Promise<V | null> => {
    const sellerId = sellerOf(ctx);
    return requestLoader<string, V | null>(ctx, `node:${name}`, async (keys) => {
      const found = new Map((await find(ctx, sellerId, keys)).map((row) => [row.key, row.view]));
      return keys.map((k) => found.get(k) ?? null);
    }).load(key);
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
registerNode('User', 'uuid', asListedBy('users', byKey('User', async (ctx, seller, keys) => (await ctx.services.team.usersByIds(seller, keys)).map(({ key, user }) => ({ key, view: user })))));
registerNode('ApiKey', 'uuid', asListedBy('apiKeys', byKey('ApiKey', async (ctx, seller, keys) => (await ctx.services.apiKeys.apiKeysByIds(seller, keys)).map(({ key, apiKey }) => ({ key, view: apiKey })))));
