import { toGlobalId } from '../../graphql/global-id.js';
import type { EventDataJson, EventEnvelope } from './event.contract.js';
import type { EventRecord } from './event.model.js';

/** An event log row as its JSON leaves the API (webhook bodies, consumers): the envelope of events.md. */
export function toEnvelope(e: EventRecord): EventEnvelope {
  const { sellerId, productId, product, ...rest } = e.payload;
  const data: EventDataJson = { sellerId, productId, productNodeId: toGlobalId('Product', productId), ...rest };
  if (product) data.product = { ...product, id: toGlobalId('Product', product.id) };
  return { eventId: e.eventId, eventType: e.type, timestamp: e.timestamp, sequence: e.sequence, data };
}
