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

/** Stock of the seller's products (the first `limit` by id) and the log position it corresponds to, read from one snapshot. */
export async function stockSnapshot(db: Database, sellerId: string, productIds: number[] | undefined, limit?: number): Promise<{ rows: StockRow[]; sequence: number }> {
  return db.$transaction(
    async (tx) => {
      const seller = await tx.seller.findUnique({ where: { id: sellerId }, select: { eventSequence: true } });
      const rows = await tx.product.findMany({
        where: { sellerId, ...(productIds ? { id: { in: productIds } } : {}) },
        select: { id: true, quantity: true, reserved: true, lowStockThreshold: true, updatedAt: true },
        orderBy: { id: 'asc' },
        ...(limit !== undefined ? { take: limit } : {}),
      });
      return { rows, sequence: seller?.eventSequence ?? 0 };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
