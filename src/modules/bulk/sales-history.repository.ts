import type { Tx } from '../../infra/prisma.js';

/** Ids of the seller's products with these SKUs. */
export async function productIdsBySku(tx: Tx, sellerId: string, skus: readonly string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: number; sku: string }[]>`
    SELECT id, sku FROM products WHERE seller_id = ${sellerId} AND sku = ANY(${[...skus]}::text[])`;
  return new Map(rows.map((r) => [r.sku, r.id]));
}

/** Records past sales as history only (stock untouched); a row of a job already written is skipped. */
export async function insertImportedSales(
  tx: Tx,
  sellerId: string,
  jobId: string,
  sales: readonly { row: number; productId: number; quantity: number; soldAt: Date }[],
): Promise<void> {
  if (sales.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO imported_sales (seller_id, product_id, quantity, sold_at, job_id, row)
    SELECT ${sellerId}, product_id, quantity, sold_at, ${jobId}::uuid, row
    FROM unnest(${sales.map((s) => s.productId)}::int[], ${sales.map((s) => s.quantity)}::int[], ${sales.map((s) => s.soldAt)}::timestamptz[], ${sales.map((s) => s.row)}::int[])
      AS s(product_id, quantity, sold_at, row)
    ON CONFLICT (job_id, row) DO NOTHING`;
}
