import type { Database } from '../../infra/prisma.js';

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
