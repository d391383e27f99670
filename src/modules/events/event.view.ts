import { toScreamingCase } from './event.contract.js';
import { eventCursor } from './event.cursor.js';
import type { EventRecord } from './event.model.js';
import type { EventType, EventView } from './event.types.js';

/** An event log row as the GraphQL Event types expose it. */
export function toEventView(e: EventRecord): EventView {
  const { product, changes, currentQuantity, threshold } = e.payload as Partial<EventView>;
  return {
    kind: e.type,
    cursor: eventCursor(e.sellerId, e.sequence),
    sequence: e.sequence,
    eventId: e.eventId,
    eventType: toScreamingCase(e.type) as EventType,
    timestamp: e.timestamp,
    sellerId: e.sellerId,
    productId: e.productId,
    product,
    changes,
    currentQuantity,
    threshold,
  };
}
