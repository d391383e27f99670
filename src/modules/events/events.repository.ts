import type { Event } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { eventId, type EventData, type EventPayload, type EventTypeName } from './event.contract.js';
import type { EventRecord } from './event.model.js';

type Db = Database | Tx;

function toRecord(row: Event): EventRecord {
  return { ...row, payload: row.payload as unknown as EventPayload };
}

/**
 * Appends an event to the seller's log inside the caller's transaction.
 * Bumping the seller's counter locks the seller row until commit, so sequences are
 * consecutive and follow commit order. Call it last in a transaction, after the
 * product rows are locked, so every writer takes locks in the same order.
 * One statement (the counter bump feeds the insert): the seller's lock is held from here to
 * commit, so a round trip less here is one less wait for every other writer of the seller.
 */
export async function appendEvent(tx: Tx, sellerId: string, productId: number, data: EventData): Promise<EventRecord> {
  const { type, ...rest } = data;
  const payload: EventPayload = { sellerId, productId, ...rest };
  const [row] = await tx.$queryRaw<{ id: bigint; sequence: number; event_id: string; created_at: Date }[]>`
    WITH head AS (
      INSERT INTO sellers (id, event_sequence, last_event_at)
      VALUES (${sellerId}, 1, date_trunc('milliseconds', clock_timestamp()))
      ON CONFLICT (id) DO UPDATE SET
        event_sequence = sellers.event_sequence + 1,
        last_event_at = greatest(date_trunc('milliseconds', clock_timestamp()), sellers.last_event_at + interval '1 millisecond')
      RETURNING event_sequence, last_event_at
    )
    INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
    SELECT ${sellerId}, head.event_sequence,
      ${`${sellerId}-${productId}-${type}-`} || to_char(head.last_event_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      ${type}::text::"EventType", ${productId}::int, ${JSON.stringify(payload)}::jsonb, head.last_event_at
    FROM head
    RETURNING id, sequence, event_id, created_at`;
  const record: EventRecord = { id: row!.id, sellerId, sequence: row!.sequence, eventId: row!.event_id, type, productId, payload, createdAt: row!.created_at };
  // the id is built in SQL; it must be exactly what eventId() gives for the stored timestamp
  if (record.eventId !== eventId(sellerId, productId, type, record.createdAt)) throw new Error(`event id ${record.eventId} does not match its timestamp`);
  return record;
}

export interface EventQuery {
  types?: EventTypeName[];
  productIds?: number[];
}

/** A seller's events after a sequence number, oldest first. */
export async function listEvents(db: Db, sellerId: string, afterSequence: number, limit: number, q: EventQuery = {}): Promise<EventRecord[]> {
  const rows = await db.event.findMany({
    where: {
      sellerId,
      sequence: { gt: afterSequence },
      ...(q.types ? { type: { in: q.types } } : {}),
      ...(q.productIds ? { productId: { in: q.productIds } } : {}),
    },
    orderBy: { sequence: 'asc' },
    take: limit,
  });
  return rows.map(toRecord);
}

/** A seller's events before a sequence (or the newest when null), newest first. */
export async function listEventsBefore(db: Db, sellerId: string, beforeSequence: number | null, limit: number, q: EventQuery = {}): Promise<EventRecord[]> {
  const rows = await db.event.findMany({
    where: {
      sellerId,
      ...(beforeSequence !== null ? { sequence: { lt: beforeSequence } } : {}),
      ...(q.types ? { type: { in: q.types } } : {}),
      ...(q.productIds ? { productId: { in: q.productIds } } : {}),
    },
    orderBy: { sequence: 'desc' },
    take: limit,
  });
  return rows.map(toRecord);
}

/**
 * appendEvent for many events of one seller at once (bulk writes): the same consecutive
 * sequences and strictly increasing millisecond timestamps, one statement per table.
 * The events get the sequences in the order given.
 */
export async function appendEvents(tx: Tx, sellerId: string, items: { productId: number; data: EventData }[]): Promise<EventRecord[]> {
  const n = items.length;
  if (n === 0) return [];
  const [head] = await tx.$queryRaw<{ sequence: number; at: Date }[]>`
    INSERT INTO sellers (id, event_sequence, last_event_at)
    VALUES (${sellerId}, ${n}::int, date_trunc('milliseconds', clock_timestamp()) + ${n - 1}::int * interval '1 millisecond')
    ON CONFLICT (id) DO UPDATE SET
      event_sequence = sellers.event_sequence + ${n}::int,
      last_event_at = greatest(date_trunc('milliseconds', clock_timestamp()), sellers.last_event_at + interval '1 millisecond')
        + ${n - 1}::int * interval '1 millisecond'
    RETURNING event_sequence AS sequence, last_event_at AS at`;
  const events = items.map(({ productId, data }, i): Omit<EventRecord, 'id'> => {
    const at = new Date(head!.at.getTime() - (n - 1 - i));
    const { type, ...rest } = data;
    return { sellerId, sequence: head!.sequence - n + 1 + i, eventId: eventId(sellerId, productId, type, at), type, productId, payload: { sellerId, productId, ...rest }, createdAt: at };
  });
  const col = <K extends keyof (typeof events)[number]>(key: K) => events.map((e) => e[key]);
  // one statement over column arrays: Prisma's multi-row createMany costs about 1 ms a row
  const ids = await tx.$queryRaw<{ id: bigint; sequence: number }[]>`
    INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
    SELECT ${sellerId}, * FROM unnest(${col('sequence')}::int[], ${col('eventId')}::text[], ${col('type')}::text[]::"EventType"[],
      ${col('productId')}::int[], ${events.map((e) => JSON.stringify(e.payload))}::text[]::jsonb[],
      ${events.map((e) => e.createdAt.toISOString())}::text[]::timestamptz[])
    RETURNING id, sequence`;
  const idOf = new Map(ids.map((r) => [r.sequence, r.id]));
  return events.map((e) => ({ ...e, id: idOf.get(e.sequence)! }));
}
