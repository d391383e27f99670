import type { EventRecord } from './event.model.js';

/** An event as it travels over Redis pub/sub between the relay and the api instances. */
export interface WireEvent extends Omit<EventRecord, 'id' | 'createdAt'> {
  id: string;
  createdAt: string;
}

export function toWire(e: EventRecord): WireEvent {
  return { ...e, id: e.id.toString(), createdAt: e.createdAt.toISOString() };
}

export function fromWire(w: WireEvent): EventRecord {
  return { ...w, id: BigInt(w.id), createdAt: new Date(w.createdAt) };
}
