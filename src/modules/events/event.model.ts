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
  createdAt: Date;
}
