import { saturateInt32 } from '../../graphql/int32.js';
import { Decimal } from 'decimal.js';
import type { Database } from '../../infra/prisma.js';
import type { EventTypeName } from '../events/event.contract.js';

export interface LifecycleEvent {
  eventId: string;
  sellerId: string;
  eventType: EventTypeName;
  occurredAt: Date;
}

/**
 * Counts the event unless its eventId is already in the inbox. One statement, so the inbox row
 * and the counter commit together; a concurrent duplicate waits on the inbox key and then counts nothing.
 */
export async function applyLifecycleEvent(db: Database, e: LifecycleEvent): Promise<boolean> {
  const rows = await db.$queryRaw<{ applied: number }[]>`
    WITH inserted AS (
      INSERT INTO analytics_inbox (event_id, seller_id, event_type, occurred_at)
      VALUES (${e.eventId}, ${e.sellerId}, ${e.eventType}::"EventType", ${e.occurredAt}::timestamptz)
      ON CONFLICT (event_id) DO NOTHING
      RETURNING seller_id, event_type, occurred_at
    ), counted AS (
      INSERT INTO analytics_daily_counts (seller_id, event_type, day, count)
      SELECT seller_id, event_type, (occurred_at AT TIME ZONE 'UTC')::date, 1 FROM inserted
      ON CONFLICT (seller_id, event_type, day) DO UPDATE SET count = analytics_daily_counts.count + 1
      RETURNING 1
    )
    SELECT count(*)::int AS applied FROM counted`;
  return (rows[0]?.applied ?? 0) > 0;
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
