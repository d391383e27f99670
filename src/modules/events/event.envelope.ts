import type { EventEnvelope } from './event.contract.js';
import type { EventRecord } from './event.model.js';

/** An event log row as its JSON leaves the API (webhook bodies, consumers): the envelope of events.md. */
export function toEnvelope(e: EventRecord): EventEnvelope {
  return { eventId: e.eventId, eventType: e.type, timestamp: e.timestamp, sequence: e.sequence, data: e.payload };
}
