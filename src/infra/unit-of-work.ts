import type { EventData } from '../modules/events/event.contract.js';
import type { EventRecord } from '../modules/events/event.model.js';
import { appendEvent, appendEvents } from '../modules/events/events.repository.js';
import { eventsCommitted } from '../modules/events/events-committed.js';
import { inTransaction, retryingConflicts, type Database, type Tx } from './prisma.js';

/** An event a change produced, not yet in the log. */
export interface PendingEvent {
  sellerId: string;
  productId: number;
  data: EventData;
}

/** What a change hands back: its result and the events it produced, in order. */
export interface Change<T> {
  value: T;
  events: PendingEvent[];
}

/**
 * The one shape of every write: one transaction that runs the change (which locks products in
 * ascending id order through the stock and product repositories, and writes its rows), then
 * appends the change's events as its very last statements, then commits. The change never sees
 * the append, so nothing can run after it: the seller's sequence row is locked only from the
 * append to the commit. A change that throws rolls everything back and appends nothing.
 */
export async function runUnitOfWork<T>(db: Database, change: (tx: Tx) => Promise<Change<T>>): Promise<{ value: T; events: EventRecord[] }> {
  const committed = await inTransaction(db, async (tx) => {
    const { value, events } = await change(tx);
    return { value, events: await appendPending(tx, events) };
  });
  // After commit: the one place where a write's consequences outside the database begin
  // (the relay wake-up for committed events plugs in here).
  return committed;
}

/**
 * The same shape when the whole change is one SQL statement whose data-modifying CTEs end with
 * the event append (`appendEventCtes`): the statement is its own transaction, so there is no
 * interactive transaction, no BEGIN/COMMIT round trips, and nothing can follow the append. The
 * same retry of a serialization failure or deadlock as inTransaction; after commit, the same
 * relay wake-up appendEvent registers.
 */
export async function runOneStatement<T>(statement: () => Promise<T>): Promise<T> {
  const value = await retryingConflicts(statement);
  eventsCommitted();
  return value;
}

/** Appends one seller's events in the order given: one statement for one event, two for many. */
async function appendPending(tx: Tx, events: readonly PendingEvent[]): Promise<EventRecord[]> {
  if (events.length === 0) return [];
  const sellerId = events[0]!.sellerId;
  if (events.some((e) => e.sellerId !== sellerId)) throw new Error('a unit of work writes the events of one seller');
  if (events.length === 1) return [await appendEvent(tx, sellerId, events[0]!.productId, events[0]!.data)];
  return appendEvents(tx, sellerId, events.map(({ productId, data }) => ({ productId, data })));
}
