import type { EventPayload, EventTypeName } from './event.contract.js';

/** One row of a seller's event log (the outbox). */
export interface EventRecord {
  id: bigint;
  sellerId: string;
  sequence: number;
  eventId: string;
  type: EventTypeName;
  productId: number;
  payload: EventPayload;
  /** The same instant as timestamp, to the millisecond (a JavaScript Date). */
  createdAt: Date;
  /** ISO-8601 UTC to the microsecond, exactly as it ends the eventId. */
  timestamp: string;
}
