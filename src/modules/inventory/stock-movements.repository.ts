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

/** Several movements in one statement (bulk writes). */
export async function recordMovements(tx: Tx, movements: Omit<StockMovementRecord, 'id' | 'createdAt'>[]): Promise<void> {
  if (movements.length > 0) await tx.stockMovement.createMany({ data: movements });
}
