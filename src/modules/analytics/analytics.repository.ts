import { saturateInt32 } from '../../graphql/int32.js';
import { Decimal } from 'decimal.js';
import type { Database } from '../../infra/prisma.js';
import type { EventTypeName } from '../events/event.contract.js';

/**
 * Counts a seller's events fromSequence..toSequence of the given types, each unless its eventId is
 * already in the inbox. One statement: the inbox rows and the counters commit together, and the
 * counters take one upsert per (type, day) of the batch, not one per event. A concurrent duplicate
 * waits on the inbox keys and then counts nothing.
 */
export async function applyLifecycleBatch(
  db: Database,
  sellerId: string,
  fromSequence: number,
  toSequence: number,
  types: readonly EventTypeName[],
): Promise<{ applied: number; upserts: number }> {
  const [row] = await db.$queryRaw<{ applied: number; upserts: number }[]>`
    WITH inserted AS (
      INSERT INTO analytics_inbox (event_id, seller_id, event_type, occurred_at)
      SELECT event_id, seller_id, type, created_at FROM events
      WHERE seller_id = ${sellerId} AND sequence BETWEEN ${fromSequence}::int AND ${toSequence}::int
        AND type = ANY(${[...types]}::text[]::"EventType"[])
      ORDER BY sequence
      ON CONFLICT (event_id) DO NOTHING
      RETURNING seller_id, event_type, occurred_at
    ), counted AS (
      INSERT INTO analytics_daily_counts (seller_id, event_type, day, count)
      SELECT seller_id, event_type, (occurred_at AT TIME ZONE 'UTC')::date, count(*)::int FROM inserted
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (seller_id, event_type, day) DO UPDATE SET count = analytics_daily_counts.count + excluded.count
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted)::int AS applied, (SELECT count(*) FROM counted)::int AS upserts`;
  return { applied: row?.applied ?? 0, upserts: row?.upserts ?? 0 };
}

/** applyLifecycleBatch for several sellers' ranges in one statement. */
export async function applyLifecycleRanges(
  db: Database,
  ranges: readonly { sellerId: string; fromSequence: number; toSequence: number }[],
  types: readonly EventTypeName[],
): Promise<{ applied: number; upserts: number }> {
  if (ranges.length === 0) return { applied: 0, upserts: 0 };
  const [row] = await db.$queryRaw<{ applied: number; upserts: number }[]>`
    WITH inserted AS (
      INSERT INTO analytics_inbox (event_id, seller_id, event_type, occurred_at)
      SELECT e.event_id, e.seller_id, e.type, e.created_at
      FROM unnest(${ranges.map((r) => r.sellerId)}::text[], ${ranges.map((r) => r.fromSequence)}::int[], ${ranges.map((r) => r.toSequence)}::int[]) AS r(seller_id, f, t)
      JOIN events e ON e.seller_id = r.seller_id AND e.sequence BETWEEN r.f AND r.t
      WHERE e.type = ANY(${[...types]}::text[]::"EventType"[])
      ORDER BY e.seller_id, e.sequence
      ON CONFLICT (event_id) DO NOTHING
      RETURNING seller_id, event_type, occurred_at
    ), counted AS (
      INSERT INTO analytics_daily_counts (seller_id, event_type, day, count)
      SELECT seller_id, event_type, (occurred_at AT TIME ZONE 'UTC')::date, count(*)::int FROM inserted
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (seller_id, event_type, day) DO UPDATE SET count = analytics_daily_counts.count + excluded.count
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted)::int AS applied, (SELECT count(*) FROM counted)::int AS upserts`;
  return { applied: row?.applied ?? 0, upserts: row?.upserts ?? 0 };
}

/**
 * Lifecycle events per type since a time: whole UTC days from the daily counters, the part of
 * the first day from the inbox's per-event timestamps, so any `since` is exact.
 */
export async function countEvents(db: Database, sellerId: string, since: Date | null): Promise<Map<EventTypeName, number>> {
  const rows = since
    ? await db.$queryRaw<{ type: EventTypeName; count: number }[]>`
        SELECT type, sum(n)::int AS count FROM (
          SELECT event_type AS type, count AS n FROM analytics_daily_counts
          WHERE seller_id = ${sellerId} AND day > (${since}::timestamptz AT TIME ZONE 'UTC')::date
          UNION ALL
          SELECT event_type, count(*) FROM analytics_inbox
          WHERE seller_id = ${sellerId} AND occurred_at >= ${since}::timestamptz
            AND occurred_at < (((${since}::timestamptz AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC')
          GROUP BY event_type
        ) t GROUP BY type`
    : await db.$queryRaw<{ type: EventTypeName; count: number }[]>`
        SELECT event_type AS type, sum(count)::int AS count FROM analytics_daily_counts WHERE seller_id = ${sellerId} GROUP BY event_type`;
  return new Map(rows.map((r) => [r.type, Number(r.count)]));
}

export interface StockMetrics {
  productCount: number;
  totalUnits: number;
  inventoryValue: Decimal;
  lowStockCount: number;
  outOfStockCount: number;
}

/** Computed from the products table in one pass, in exact numeric arithmetic. */
export async function stockMetrics(db: Database, sellerId: string): Promise<StockMetrics> {
  const [row] = await db.$queryRaw<{ productCount: number; totalUnits: bigint; inventoryValue: string; lowStockCount: number; outOfStockCount: number }[]>`
    SELECT count(*)::int AS "productCount",
      coalesce(sum(quantity), 0)::bigint AS "totalUnits",
      coalesce(sum(price * quantity), 0)::text AS "inventoryValue",
      (count(*) FILTER (WHERE quantity - reserved <= low_stock_threshold))::int AS "lowStockCount",
      (count(*) FILTER (WHERE quantity - reserved <= 0))::int AS "outOfStockCount"
    FROM products WHERE seller_id = ${sellerId}`;
  return {
    productCount: row!.productCount,
    totalUnits: saturateInt32(row!.totalUnits),
    inventoryValue: new Decimal(row!.inventoryValue),
    lowStockCount: row!.lowStockCount,
    outOfStockCount: row!.outOfStockCount,
  };
}

/**
 * The seller's events (every type) per minute of the database clock, for the last `minutes`
 * minutes including the current one, oldest first, with 0 for quiet minutes. Read from the event
 * log through its (seller_id, created_at) index, so it counts every event, however many.
 */
export async function eventsPerMinute(db: Database, sellerId: string, minutes: number): Promise<{ minute: Date; count: number }[]> {
  return db.$queryRaw<{ minute: Date; count: number }[]>`
    WITH span AS (SELECT date_trunc('minute', now()) - (${minutes}::int - 1) * interval '1 minute' AS since, date_trunc('minute', now()) AS until)
    SELECT m.minute, coalesce(c.count, 0)::int AS count
    FROM span, generate_series(span.since, span.until, interval '1 minute') AS m(minute)
    LEFT JOIN (
      SELECT date_trunc('minute', e.created_at) AS minute, count(*) AS count FROM events e, span
      WHERE e.seller_id = ${sellerId} AND e.created_at >= span.since
      GROUP BY 1
    ) c ON c.minute = m.minute
    ORDER BY m.minute`;
}
