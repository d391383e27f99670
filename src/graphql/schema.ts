import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ProductResolver } from '../modules/catalog/product.resolver.js';
import { EVENT_OBJECT_TYPES } from '../modules/events/event.types.js';
import { EventsResolver } from '../modules/events/events.resolver.js';
import { InventoryResolver } from '../modules/inventory/inventory.resolver.js';
import { ReservationItemResolver, ReservationResolver } from '../modules/inventory/reservation.resolver.js';
import { OrderItemResolver, OrderResolver } from '../modules/orders/order.resolver.js';
import { SellerResolver } from '../modules/sellers/seller.resolver.js';
import { DateTimeScalar, DecimalScalar } from './scalars.js';

export const RESOLVERS = [
  SellerResolver,
  ProductResolver,
  EventsResolver,
  InventoryResolver,
  ReservationResolver,
  ReservationItemResolver,
  OrderResolver,
  OrderItemResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...RESOLVERS],
    orphanedTypes: [...EVENT_OBJECT_TYPES],
    scalarsMap: [],
    validate: true,
    emitSchemaFile: false,
  }).then((schema) => {
    // keep the custom scalars referenced so printSchema carries their descriptions
    void DateTimeScalar;
    void DecimalScalar;
    return schema;
  });
  return built;
}

/** schema.graphql as committed: sorted so the file diffs cleanly. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
