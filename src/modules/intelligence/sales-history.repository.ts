import type { Database } from '../../infra/prisma.js';

export interface DailySale {
  productId: number;
  day: number;
  quantity: number;
}

/** null (every product) or the ids as a query parameter. */
const ids = (productIds: readonly number[] | null): number[] | null => (productIds ? [...productIds] : null);

/**
 * Units sold per product and UTC day since `fromDay`: SOLD stock movements (orders confirmed,
 * stock adjusted as sold) plus imported past sales. One seller's, or one product's of it.
 */
export async function dailySales(db: Database, sellerId: string, fromDay: number, productIds: readonly number[] | null = null): Promise<DailySale[]> {
  const since = new Date(fromDay * 86_400_000);
  const rows = await db.$queryRaw<{ product_id: number; day: number; quantity: bigint }[]>`
    SELECT product_id, day, sum(quantity)::bigint AS quantity FROM (
      SELECT product_id, floor(extract(epoch FROM created_at) / 86400)::int AS day, -delta AS quantity
      FROM stock_movements
      WHERE seller_id = ${sellerId} AND reason = 'SOLD' AND created_at >= ${since}
        AND (${ids(productIds)}::int[] IS NULL OR product_id = ANY(${ids(productIds)}::int[]))
      UNION ALL
      SELECT product_id, floor(extract(epoch FROM sold_at) / 86400)::int, quantity
      FROM imported_sales
      WHERE seller_id = ${sellerId} AND sold_at >= ${since}
        AND (${ids(productIds)}::int[] IS NULL OR product_id = ANY(${ids(productIds)}::int[]))
    ) sales
    GROUP BY product_id, day`;
  return rows.map((r) => ({ productId: r.product_id, day: r.day, quantity: Number(r.quantity) }));
}

export interface ProductStart {
  productId: number;
  createdAt: Date;
}

/** The seller's products (or one of them) with their creation time, where their history starts at the latest. */
export async function productStarts(db: Database, sellerId: string, productIds: readonly number[] | null = null): Promise<ProductStart[]> {
  const rows = await db.$queryRaw<{ id: number; created_at: Date }[]>`
    SELECT id, created_at FROM products
    WHERE seller_id = ${sellerId} AND (${ids(productIds)}::int[] IS NULL OR id = ANY(${ids(productIds)}::int[]))`;
  return rows.map((r) => ({ productId: r.id, createdAt: r.created_at }));
}
