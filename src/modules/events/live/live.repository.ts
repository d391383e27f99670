import type { Database } from '../../../infra/prisma.js';

export interface StockRow {
  id: number;
  quantity: number;
  reserved: number;
  lowStockThreshold: number;
  updatedAt: Date;
}

/** The seller's log head; events after it are news to a new subscriber. */
export async function headSequence(db: Database, sellerId: string): Promise<number> {
  const seller = await db.seller.findUnique({ where: { id: sellerId }, select: { eventSequence: true } });
  return seller?.eventSequence ?? 0;
}

/**
 * Stock of the seller's products and the log position it corresponds to, in one statement
 * (one snapshot) rather than a transaction: many subscribers starting at once must not
 * queue for pool connections held across round trips.
 */
export async function stockSnapshot(db: Database, sellerId: string, productIds: number[] | undefined, limit: number): Promise<{ rows: StockRow[]; sequence: number }> {
  const ids = productIds ?? null;
  const found = await db.$queryRaw<({ sequence: number } & { [K in keyof StockRow]: StockRow[K] | null })[]>`
    SELECT s.sequence, p.id, p.quantity, p.reserved, p.low_stock_threshold AS "lowStockThreshold", p.updated_at AS "updatedAt"
    FROM (SELECT COALESCE((SELECT event_sequence FROM sellers WHERE id = ${sellerId}), 0) AS sequence) s
    LEFT JOIN products p ON p.seller_id = ${sellerId} AND (${ids}::int[] IS NULL OR p.id = ANY(${ids}::int[]))
    ORDER BY p.id
    LIMIT ${limit}`;
  const rows = found.filter((r): r is { sequence: number } & StockRow => r.id !== null);
  return { rows: rows.map(({ id, quantity, reserved, lowStockThreshold, updatedAt }) => ({ id, quantity, reserved, lowStockThreshold, updatedAt })), sequence: found[0]?.sequence ?? 0 };
}
