// The event contract (shared/contract/events.md): names, ids and JSON shapes of events.

export const EVENT_TYPES = ['ProductCreated', 'ProductUpdated', 'ProductDeleted', 'LowStockWarning'] as const;
export type EventTypeName = (typeof EVENT_TYPES)[number];

/** The product as events carry it: prices as decimal strings, never floats. */
export interface ProductJson {
  id: number;
  sku: string | null;
  name: string;
  description: string | null;
  price: string;
  category: string;
  quantity: number;
  reserved: number;
  lowStockThreshold: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type ProductChangesJson = Partial<Pick<ProductJson, 'sku' | 'name' | 'description' | 'price' | 'category' | 'quantity' | 'reserved' | 'lowStockThreshold'>>;

export type EventData =
  | { type: 'ProductCreated'; product: ProductJson }
  | { type: 'ProductUpdated'; changes: ProductChangesJson; product: ProductJson }
  | { type: 'ProductDeleted'; product: ProductJson }
  | { type: 'LowStockWarning'; currentQuantity: number; threshold: number };

/** What the events table stores as payload: the envelope's data (which fields are set depends on the type). */
export interface EventPayload {
  sellerId: string;
  productId: number;
  product?: ProductJson;
  changes?: ProductChangesJson;
  currentQuantity?: number;
  threshold?: number;
}

/**
 * The data as it leaves the API: sellerId and productId exactly as the contract has them (eventId
 * is built from them), and every other id a global id string: productNodeId, product.id.
 */
export interface EventDataJson extends Omit<EventPayload, 'product'> {
  productNodeId: string;
  product?: Omit<ProductJson, 'id'> & { id: string };
}

export interface EventEnvelope {
  eventId: string;
  eventType: EventTypeName;
  timestamp: string;
  sequence: number;
  data: EventDataJson;
}

/** timestamp is the event's ISO-8601 UTC time, to the microsecond (2026-01-31T12:00:00.123456Z). */
export function eventId(sellerId: string, productId: number, type: EventTypeName, timestamp: string): string {
  return `${sellerId}-${productId}-${type}-${timestamp}`;
}

const TIMESTAMP_AT_END = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z$/;

/**
 * The timestamp an eventId ends with (microseconds for new events, milliseconds for older ones),
 * or undefined for an id written by hand without one.
 */
export function timestampOfEventId(id: string): string | undefined {
  return TIMESTAMP_AT_END.exec(id)?.[0];
}

/** ProductCreated -> PRODUCT_CREATED, the GraphQL enum spelling. */
export function toScreamingCase(type: EventTypeName): string {
  return type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export function fromScreamingCase(value: string): EventTypeName {
  const found = EVENT_TYPES.find((t) => toScreamingCase(t) === value);
  if (!found) throw new Error(`unknown event type ${value}`);
  return found;
}
