import { Prisma, type Event } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { afterCommit } from '../../infra/after-commit.js';
import { timestampOfEventId, type EventData, type EventPayload, type EventTypeName } from './event.contract.js';
import { eventsCommitted } from './events-committed.js';
import type { EventRecord } from './event.model.js';

type Db = Database | Tx;

/** The eventId carries the timestamp to the microsecond (a Date read of created_at stops at the millisecond). */
function toRecord(row: Event): EventRecord {
  return { ...row, payload: row.payload as unknown as EventPayload, timestamp: timestampOfEventId(row.eventId) ?? row.createdAt.toISOString() };
}

/** PostgreSQL's to_char pattern for an ISO-8601 UTC instant to the microsecond, as eventIds end. */
const ISO_MICROS = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

/**
 * Appends an event to the seller's log inside the caller's transaction.
 * Bumping the seller's counter locks the seller row until commit, so sequences are
 * consecutive and follow commit order. Call it last in a transaction, after the
 * product rows are locked, so every writer takes locks in the same order.
 * One statement (the counter bump feeds the insert): the seller's lock is held from here to
 * commit, so a round trip less here is one less wait for every other writer of the seller.
 * The timestamp is the database clock to the microsecond, at least 1 µs after the seller's
 * previous event (so eventIds stay unique): never ahead of the clock unless a seller writes
 * more than a million events a second. After commit the relay is woken (afterCommit).
 */
export async function appendEvent(tx: Tx, sellerId: string, productId: number, data: EventData): Promise<EventRecord> {
  const { type, ...rest } = data;
  const payload: EventPayload = { sellerId, productId, ...rest };
  const [row] = await tx.$queryRaw<AppendedEventRow[]>`
    WITH ${appendEventCtes(sellerId, type, Prisma.sql`SELECT ${productId}::int AS product_id, ${JSON.stringify(payload)}::jsonb AS payload`)}
    SELECT * FROM appended`;
  afterCommit(tx, eventsCommitted);
  return { id: row!.id, sellerId, sequence: row!.sequence, eventId: row!.event_id, type, productId, payload, createdAt: row!.created_at, timestamp: timestampOfEventId(row!.event_id)! };
}

/** What the `appended` CTE of appendEventCtes returns. */
export interface AppendedEventRow {
  id: bigint;
  sequence: number;
  event_id: string;
  created_at: Date;
}

/**
 * The CTEs that append one event of a seller, named `head` (the sequence bump that locks the
 * seller row) and `appended` (the event row: id, sequence, event_id, created_at). `event` is a
 * query of one row with the event's `product_id` and jsonb `payload`; it may read CTEs written
 * before these. appendEvent runs them alone; a write that is one statement puts them last in its
 * WITH, so the append is its last step and the seller's lock lasts only that statement.
 */
export function appendEventCtes(sellerId: string, type: EventTypeName, event: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`head AS (
      INSERT INTO sellers (id, event_sequence, last_event_at)
      VALUES (${sellerId}, 1, clock_timestamp())
      ON CONFLICT (id) DO UPDATE SET
        event_sequence = sellers.event_sequence + 1,
        last_event_at = greatest(clock_timestamp(), sellers.last_event_at + interval '1 microsecond')
      RETURNING event_sequence, last_event_at
    ), appended AS (
      INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
      SELECT ${sellerId}, head.event_sequence,
        ${`${sellerId}-`} || e.product_id || ${`-${type}-`} || to_char(head.last_event_at AT TIME ZONE 'UTC', ${ISO_MICROS}),
        ${type}::text::"EventType", e.product_id, e.payload, head.last_event_at
      FROM head, (${event}) e
      RETURNING id, sequence, event_id, created_at
    )`;
}

/**
 * appendEventCtes for any number of events of one seller (appendEvents as CTEs): `events` is a
 * query of rows with `ord` (their order), `type` (text), `product_id` and jsonb `payload`; it may
 * read CTEs written before these. Named `head` and `appended` as there. The same consecutive
 * sequences and microsecond timestamps as appendEvents; no row, no sequence bump. A write that is
 * one statement puts these last in its WITH: its seller lock lasts that statement only.
 */
export function appendEventRowsCtes(sellerId: string, events: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`pending AS (
      SELECT e.*, row_number() OVER (ORDER BY e.ord)::int AS i, count(*) OVER ()::int AS n FROM (${events}) e
    ), head AS (
      INSERT INTO sellers (id, event_sequence, last_event_at)
      SELECT ${sellerId}, c.n, clock_timestamp() FROM (SELECT count(*)::int AS n FROM pending) c WHERE c.n > 0
      ON CONFLICT (id) DO UPDATE SET
        event_sequence = sellers.event_sequence + excluded.event_sequence,
        last_event_at = greatest(clock_timestamp(), sellers.last_event_at + excluded.event_sequence * interval '1 microsecond')
      RETURNING event_sequence, last_event_at
    ), appended AS (
      INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
      SELECT ${sellerId}, head.event_sequence - p.n + p.i,
        ${`${sellerId}-`} || p.product_id || '-' || p.type || '-' || to_char(t.at AT TIME ZONE 'UTC', ${ISO_MICROS}),
        p.type::"EventType", p.product_id, p.payload, t.at
      FROM head, pending p, LATERAL (SELECT head.last_event_at - (p.n - p.i) * interval '1 microsecond' AS at) t
      ORDER BY p.i
      RETURNING id, sequence, event_id, created_at
    )`;
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
 * appendEvent for many events of one seller at once (bulk writes), in one statement: the same
 * consecutive sequences, in the order given, and strictly increasing microsecond timestamps
 * ending at the database clock (the earlier ones are up to n-1 µs before it, never after).
 */
export async function appendEvents(tx: Tx, sellerId: string, items: { productId: number; data: EventData }[]): Promise<EventRecord[]> {
  const n = items.length;
  if (n === 0) return [];
  const payloads = items.map(({ productId, data }): EventPayload => {
    const { type: _type, ...rest } = data;
    return { sellerId, productId, ...rest };
  });
  const rows = await tx.$queryRaw<{ id: bigint; sequence: number; event_id: string; created_at: Date }[]>`
    WITH head AS (
      INSERT INTO sellers (id, event_sequence, last_event_at)
      VALUES (${sellerId}, ${n}::int, clock_timestamp())
      ON CONFLICT (id) DO UPDATE SET
        event_sequence = sellers.event_sequence + ${n}::int,
        last_event_at = greatest(clock_timestamp(), sellers.last_event_at + ${n}::int * interval '1 microsecond')
      RETURNING event_sequence, last_event_at
    ), item AS (
      SELECT t.type, t.product_id, t.payload, (head.event_sequence - ${n}::int + t.i)::int AS sequence,
        head.last_event_at - (${n}::int - t.i)::int * interval '1 microsecond' AS at
      FROM head, unnest(${items.map((i) => i.data.type)}::text[], ${items.map((i) => i.productId)}::int[], ${payloads.map((p) => JSON.stringify(p))}::text[])
        WITH ORDINALITY AS t(type, product_id, payload, i)
    )
    INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
    SELECT ${sellerId}, sequence, ${`${sellerId}-`} || product_id || '-' || type || '-' || to_char(at AT TIME ZONE 'UTC', ${ISO_MICROS}),
      type::"EventType", product_id, payload::jsonb, at
    FROM item
    RETURNING id, sequence, event_id, created_at`;
  afterCommit(tx, eventsCommitted);
  const bySequence = new Map(rows.map((r) => [r.sequence, r]));
  const first = rows.reduce((min, r) => Math.min(min, r.sequence), Infinity);
  return items.map(({ productId, data }, i): EventRecord => {
    const row = bySequence.get(first + i)!;
    return { id: row.id, sellerId, sequence: row.sequence, eventId: row.event_id, type: data.type, productId, payload: payloads[i]!, createdAt: row.created_at, timestamp: timestampOfEventId(row.event_id)! };
  });
}

/** One event by its eventId (webhook jobs carry only the id), or null once retention removed it. */
export async function findEventByEventId(db: Db, id: string): Promise<EventRecord | null> {
  const row = await db.event.findUnique({ where: { eventId: id } });
  return row ? toRecord(row) : null;
}

/**
 * The first sequence still in the seller's log: 1 unless retention trimmed older events
 * (sequences start at 1 with no gaps, so only trimming makes it larger); head + 1 when all were trimmed.
 */
export async function firstRetainedSequence(db: Db, sellerId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ first: number }[]>`
    SELECT coalesce((SELECT min(sequence) FROM events WHERE seller_id = ${sellerId}),
                    (SELECT event_sequence + 1 FROM sellers WHERE id = ${sellerId}), 1)::int AS first`;
  return row?.first ?? 1;
}

/**
 * Deletes up to `limit` events written before the cutoff, oldest first (the created_at index
 * finds them); SKIP LOCKED lets two workers trim at once without waiting on each other.
 */
export async function trimEventsBefore(db: Database, cutoff: Date, limit: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM events WHERE id IN (
      SELECT id FROM events WHERE created_at < ${cutoff}::timestamptz ORDER BY created_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;
}
