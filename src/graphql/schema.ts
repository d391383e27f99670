import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { encodeGlobalIdFields } from './global-id-fields.js';
import { AccountsResolver } from '../modules/accounts/accounts.resolver.js';
import { AnalyticsResolver } from '../modules/analytics/analytics.resolver.js';
import { BulkResolver } from '../modules/bulk/bulk.resolver.js';
import { ProductResolver } from '../modules/catalog/product.resolver.js';
import { EVENT_OBJECT_TYPES } from '../modules/events/event.types.js';
import { EventsResolver } from '../modules/events/events.resolver.js';
import { LiveEventsResolver } from '../modules/events/live/live-events.resolver.js';
import { resolveLiveFieldsSynchronously } from '../modules/events/live/live-field-resolvers.js';
import { NodeResolver } from '../modules/nodes/node.resolver.js';
import '../modules/nodes/node-types.js';
import { IntelligenceResolver } from '../modules/intelligence/intelligence.resolver.js';
import { InventoryResolver } from '../modules/inventory/inventory.resolver.js';
import { ReservationItemResolver, ReservationResolver } from '../modules/inventory/reservation.resolver.js';
import { OrderItemResolver, OrderResolver } from '../modules/orders/order.resolver.js';
import { CustomerResolver } from '../modules/customers/customer.resolver.js';
import { NotificationResolver, OrderNotificationsResolver } from '../modules/notifications/notification.resolver.js';
import { OrderPaymentsResolver, PaymentResolver, RefundResolver } from '../modules/payments/payment.resolver.js';
import { SellerResolver } from '../modules/sellers/seller.resolver.js';
import { WebhooksResolver } from '../modules/webhooks/webhooks.resolver.js';
import { enforceAccess } from './access-policy.js';
import { readPlainFieldsDirectly } from './plain-fields.js';
import { resolveTypesSynchronously } from './sync-type-resolvers.js';

export const RESOLVERS = [
  NodeResolver,
  SellerResolver,
  ProductResolver,
  EventsResolver,
  LiveEventsResolver,
  InventoryResolver,
  ReservationResolver,
  ReservationItemResolver,
  OrderResolver,
  OrderItemResolver,
  CustomerResolver,
  PaymentResolver,
  RefundResolver,
  OrderPaymentsResolver,
  NotificationResolver,
  OrderNotificationsResolver,
  BulkResolver,
  WebhooksResolver,
  AnalyticsResolver,
  AccountsResolver,
  IntelligenceResolver,
] as const;

/** The executable schema built from the resolver classes; pubSub serves topic-based subscriptions. */
export async function buildAppSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  readPlainFieldsDirectly();
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    orphanedTypes: [...EVENT_OBJECT_TYPES],
    pubSub,
    // arguments are validated by zod in the services; class-validator has no decorators to run
    validate: false,
  });
  return resolveLiveFieldsSynchronously(resolveTypesSynchronously(enforceAccess(encodeGlobalIdFields(schema))));
}

/** Printing and static analysis need no live pub/sub: the schema built with it never executes. */
const PRINT_ONLY: PubSub = {
  publish: () => {
    throw new Error('print-only schema');
  },
  subscribe: () => {
    throw new Error('print-only schema');
  },
};

/** The schema for printing and static analysis (e.g. costing operations in tests). */
export function buildOfflineSchema(): Promise<GraphQLSchema> {
  return buildAppSchema(PRINT_ONLY);
}

/** schema.graphql as committed: sorted so the file diffs cleanly. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildOfflineSchema()))}\n`;
}
