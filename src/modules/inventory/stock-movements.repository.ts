import type { Database, Tx } from '../../infra/prisma.js';
import type { StockMovementRecord } from './stock-movement.model.js';

type Db = Database | Tx;

export async function recordMovement(tx: Tx, movement: Omit<StockMovementRecord, 'id' | 'createdAt'>): Promise<StockMovementRecord> {
  return tx.stockMovement.create({ data: movement });
}

/** A product's movements, oldest first, after a movement id. */
export async function listMovements(db: Db, sellerId: string, productId: number, afterId: number, limit: number): Promise<StockMovementRecord[]> {
  return db.stockMovement.findMany({
    where: { sellerId, productId, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: limit,
  });
}

export async function findMovements(db: Db, sellerId: string, ids: readonly number[]): Promise<StockMovementRecord[]> {
  return db.stockMovement.findMany({ where: { id: { in: [...ids] }, sellerId } });
}

/** Several movements in one statement (bulk writes). */
export async function recordMovements(tx: Tx, movements: Omit<StockMovementRecord, 'id' | 'createdAt'>[]): Promise<void> {
  if (movements.length === 0) return;
  const col = <K extends keyof (typeof movements)[number]>(key: K) => movements.map((m) => m[key]);
  // one statement over column arrays: Prisma's multi-row createMany costs about 1 ms a row
  await tx.$executeRaw`
    INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note)
    SELECT * FROM unnest(${col('sellerId')}::text[], ${col('productId')}::int[], ${col('delta')}::int[],
      ${col('reason')}::text[]::"StockMovementReason"[], ${col('quantityAfter')}::int[], ${col('note')}::text[])`;
}
