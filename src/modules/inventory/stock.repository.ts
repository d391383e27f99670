import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/prisma.js';
import type { ProductRecord } from '../catalog/product.model.js';
import { fromRaw, type RawProduct } from '../catalog/product.repository.js';

export const MAX_QUANTITY = 2_147_483_647;

/**
 * Locks the seller's products with these ids, in ascending id order, and returns them in that
 * order. Every writer of several products locks through here, so two writers never wait on
 * each other's rows in opposite order.
 */
export async function lockProducts(tx: Tx, sellerId: string, ids: readonly number[]): Promise<ProductRecord[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<RawProduct[]>`
    SELECT * FROM products WHERE seller_id = ${sellerId} AND id IN (${Prisma.join([...ids])})
    ORDER BY id FOR UPDATE`;
  return rows.map(fromRaw);
}

/**
 * Moves on-hand and held units of one product in a single conditional write: it applies only
 * if afterwards 0 <= reserved <= quantity <= MAX_QUANTITY, and returns null otherwise.
 */
export async function applyStockDelta(tx: Tx, sellerId: string, id: number, quantityDelta: number, reservedDelta: number): Promise<ProductRecord | null> {
  const rows = await tx.$queryRaw<RawProduct[]>`
    UPDATE products
    SET quantity = quantity + ${quantityDelta}::int, reserved = reserved + ${reservedDelta}::int,
        version = version + 1, updated_at = now()
    WHERE id = ${id} AND seller_id = ${sellerId}
      AND reserved::bigint + ${reservedDelta}::bigint >= 0
      AND quantity::bigint + ${quantityDelta}::bigint >= reserved::bigint + ${reservedDelta}::bigint
      AND quantity::bigint + ${quantityDelta}::bigint <= ${MAX_QUANTITY}::bigint
    RETURNING *`;
  return rows[0] ? fromRaw(rows[0]) : null;
}
