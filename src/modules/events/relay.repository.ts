import type { Database } from '../../infra/prisma.js';
import { timestampOfEventId, type EventPayload, type EventTypeName } from './event.contract.js';
import type { EventRecord } from './event.model.js';

export interface PendingLog {
  sellerId: string;
  relayed: number;
  head: number;
}

/** Sellers whose log has committed events the relay has not published yet. */
export async function sellersBehind(db: Database, limit: number): Promise<PendingLog[]> {
  return db.$queryRaw<PendingLog[]>`
    SELECT s.id AS "sellerId", coalesce(p.sequence, 0) AS relayed, s.event_sequence AS head
    FROM sellers s LEFT JOIN relay_positions p ON p.seller_id = s.id
    WHERE s.event_sequence > coalesce(p.sequence, 0)
    ORDER BY s.id
    LIMIT ${limit}`;
}

export async function saveRelayPosition(db: Database, sellerId: string, sequence: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO relay_positions (seller_id, sequence, updated_at) VALUES (${sellerId}, ${sequence}, now())
    ON CONFLICT (seller_id) DO UPDATE SET sequence = greatest(relay_positions.sequence, excluded.sequence), updated_at = now()`;
}

/**
 * The next events of several sellers in one statement: for each, up to `perSeller` events after
 * its relayed position, ordered by seller (as given) and then sequence.
 */
export async function nextEventsOf(db: Database, logs: readonly Pick<PendingLog, 'sellerId' | 'relayed'>[], perSeller: number): Promise<EventRecord[]> {
  if (logs.length === 0) return [];
  const rows = await db.$queryRaw<
    { id: bigint; seller_id: string; sequence: number; event_id: string; type: EventTypeName; product_id: number; payload: EventPayload; created_at: Date }[]
  >`
    SELECT e.id, e.seller_id, e.sequence, e.event_id, e.type::text AS type, e.product_id, e.payload, e.created_at
    FROM unnest(${logs.map((l) => l.sellerId)}::text[], ${logs.map((l) => l.relayed)}::int[]) WITH ORDINALITY AS l(seller_id, relayed, n)
    CROSS JOIN LATERAL (
      SELECT * FROM events WHERE seller_id = l.seller_id AND sequence > l.relayed ORDER BY sequence LIMIT ${perSeller}
    ) e
    ORDER BY l.n, e.sequence`;
  return rows.map((r) => ({
    id: r.id,
    sellerId: r.seller_id,
    sequence: r.sequence,
    eventId: r.event_id,
    type: r.type,
    productId: r.product_id,
    payload: r.payload,
    createdAt: r.created_at,
    timestamp: timestampOfEventId(r.event_id) ?? r.created_at.toISOString(),
  }));
}

/** saveRelayPosition for several sellers in one statement. */
export async function saveRelayPositions(db: Database, positions: readonly { sellerId: string; sequence: number }[]): Promise<void> {
  if (positions.length === 0) return;
  await db.$executeRaw`
    INSERT INTO relay_positions (seller_id, sequence, updated_at)
    SELECT seller_id, sequence, now() FROM unnest(${positions.map((p) => p.sellerId)}::text[], ${positions.map((p) => p.sequence)}::int[]) AS t(seller_id, sequence)
    ON CONFLICT (seller_id) DO UPDATE SET sequence = greatest(relay_positions.sequence, excluded.sequence), updated_at = now()`;
}
