import type { Database } from '../../infra/prisma.js';
import { fromRaw, type RawProduct } from '../catalog/product.repository.js';
import type { ProductRecord } from '../catalog/product.model.js';

/** Products kept per product: enough for any page of recommendations. */
export const BOUGHT_TOGETHER_KEPT = 50;

/**
 * Recomputes the seller's pairs from its CONFIRMED, SHIPPED and DELIVERED orders in one
 * statement. Score: cosine, together / sqrt(orders with a x orders with b), so a best-seller
 * that is in every basket does not outrank a pair that is always bought together. Pairs seen in
 * one order only are kept (small shops), after every pair seen more often.
 */
export async function recomputeBoughtTogether(db: Database, sellerId: string, computedAt: Date): Promise<number> {
  // two statements, no transaction: a long one would hold its snapshot (and Prisma's transaction
  // timeout) for seconds. Between them a read may still see a pair that is about to go.
  const written = await db.$executeRaw`
    WITH lines AS (
      SELECT DISTINCT i.order_id, i.product_id
      FROM orders o JOIN order_items i ON i.order_id = o.id
      JOIN products p ON p.id = i.product_id AND p.seller_id = ${sellerId}
      WHERE o.seller_id = ${sellerId} AND o.status IN ('CONFIRMED', 'SHIPPED', 'DELIVERED')
    ), baskets AS (
      SELECT product_id, count(*) AS orders FROM lines GROUP BY product_id
    ), pairs AS (
      SELECT a.product_id, b.product_id AS other_id, count(*) AS together
      FROM lines a JOIN lines b ON b.order_id = a.order_id AND b.product_id <> a.product_id
      GROUP BY a.product_id, b.product_id
    ), ranked AS (
      SELECT pairs.*, pairs.together / sqrt(ba.orders * bb.orders) AS score,
        row_number() OVER (PARTITION BY pairs.product_id ORDER BY pairs.together / sqrt(ba.orders * bb.orders) DESC, pairs.other_id) AS rank
      FROM pairs JOIN baskets ba ON ba.product_id = pairs.product_id JOIN baskets bb ON bb.product_id = pairs.other_id
    )
    INSERT INTO bought_together (product_id, other_id, seller_id, together, score, computed_at)
    SELECT product_id, other_id, ${sellerId}, together, score, ${computedAt} FROM ranked WHERE rank <= ${BOUGHT_TOGETHER_KEPT}
    ON CONFLICT (product_id, other_id) DO UPDATE SET seller_id = excluded.seller_id, together = excluded.together,
      score = excluded.score, computed_at = excluded.computed_at`;
  await db.$executeRaw`DELETE FROM bought_together WHERE seller_id = ${sellerId} AND computed_at < ${computedAt}`;
  return written;
}

export interface ScoredProduct {
  product: ProductRecord;
  score: number;
  together: number;
}

/** The cached pairs of one of the seller's products whose other product still exists. */
export async function findBoughtTogether(db: Database, sellerId: string, productId: number, first: number): Promise<ScoredProduct[]> {
  const rows = await db.$queryRaw<(RawProduct & { score: number; together: number })[]>`
    SELECT p.*, b.score, b.together FROM bought_together b
    JOIN products p ON p.id = b.other_id AND p.seller_id = ${sellerId}
    WHERE b.seller_id = ${sellerId} AND b.product_id = ${productId}
    ORDER BY b.score DESC, b.together DESC, b.other_id
    LIMIT ${first}::int`;
  return rows.map(({ score, together, ...product }) => ({ product: fromRaw(product), score, together }));
}
