import type { GraphQLSchema } from 'graphql';
import type { EventRecord } from '../event.model.js';
import { toEventView } from '../event.view.js';
import { resumeError, type LiveItem } from './live-events.service.js';
import type { StockLevel } from './stock-level.types.js';

/** The value of a live item; the overflow item ends the subscription with where to resume. */
export function valueOf<T>(item: LiveItem<T>): T {
  if (item.kind === 'overflow') throw resumeError(item.cursor);
  return item.value;
}

const LIVE_FIELDS: Record<string, (item: LiveItem<never>) => unknown> = {
  productEvents: (item) => toEventView(valueOf<EventRecord>(item)),
  lowStockWarnings: (item) => toEventView(valueOf<EventRecord>(item)),
  stockLevels: (item) => valueOf<StockLevel>(item),
};

/**
 * type-graphql resolves every field with @Arg parameters through an async argument check
 * (even with validation off), so each subscription result was a promise: per event, every
 * member of a group then waited on it. These fields ignore their arguments when resolving (the
 * subscribe function used them), so the schema gets the same mapping done synchronously.
 */
export function resolveLiveFieldsSynchronously(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const [name, resolve] of Object.entries(LIVE_FIELDS)) {
    const field = fields[name];
    if (!field) throw new Error(`subscription field ${name} is missing from the schema`);
    field.resolve = (item: LiveItem<never>) => resolve(item);
  }
  return schema;
}
