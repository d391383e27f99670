// Product writes for bulk imports: one statement for many rows, in the caller's transaction.
import type { Tx } from '../../infra/prisma.js';
import type { ProductFields, ProductRecord } from './product.model.js';
import { fromRaw, type RawProduct } from './product.repository.js';


/** The seller's products with these SKUs, locked until the transaction ends (in id order, as every writer locks). */
export async function lockProductsBySku(tx: Tx, sellerId: string, skus: string[]): Promise<ProductRecord[]> {
  if (skus.length === 0) return [];
  const rows = await tx.$queryRaw<RawProduct[]>`
    SELECT * FROM products WHERE seller_id = ${sellerId} AND sku = ANY(${skus}::text[]) ORDER BY id FOR UPDATE`;
  return rows.map(fromRaw);
}

/** Inserts new products; returns them in the order given. */
export async function insertProducts(tx: Tx, sellerId: string, products: ProductFields[]): Promise<ProductRecord[]> {
  if (products.length === 0) return [];
  // ids drawn first, so each returned row is matched to its input without relying on RETURNING order
  const ids = await tx.$queryRaw<{ id: number }[]>`
    SELECT nextval(pg_get_serial_sequence('products', 'id'))::int AS id FROM generate_series(1, ${products.length}::int)`;
  const col = <K extends keyof ProductFields>(key: K) => products.map((p) => p[key]);
  // one statement over column arrays: Prisma's multi-row createMany costs about 1 ms a row
  const rows = await tx.$queryRaw<RawProduct[]>`
    INSERT INTO products (id, seller_id, sku, name, description, price, category, quantity, low_stock_threshold)
    SELECT v.id, ${sellerId}, v.sku, v.name, v.description, v.price, v.category, v.quantity, v.low_stock_threshold
    FROM unnest(
      ${ids.map((r) => r.id)}::int[], ${col('sku')}::text[], ${col('name')}::text[], ${col('description')}::text[],
      ${products.map((p) => p.price.toFixed(2))}::numeric[], ${col('category')}::text[],
      ${col('quantity')}::int[], ${col('lowStockThreshold')}::int[]
    ) AS v(id, sku, name, description, price, category, quantity, low_stock_threshold)
    RETURNING *`;
  const byId = new Map(rows.map((row) => [row.id, fromRaw(row)]));
  return ids.map(({ id }) => byId.get(id)!);
}

/** Overwrites the editable fields of locked products and bumps their versions; returns them in the order given. */
export async function updateProducts(tx: Tx, updates: (ProductFields & { id: number })[]): Promise<ProductRecord[]> {
  if (updates.length === 0) return [];
  const col = <K extends keyof (typeof updates)[number]>(key: K) => updates.map((u) => u[key]);
  const rows = await tx.$queryRaw<RawProduct[]>`
    UPDATE products p SET
      sku = v.sku, name = v.name, description = v.description, price = v.price, category = v.category,
      quantity = v.quantity, low_stock_threshold = v.low_stock_threshold,
      version = p.version + 1, updated_at = now()
    FROM unnest(
      ${col('id')}::int[], ${col('sku')}::text[], ${col('name')}::text[], ${col('description')}::text[],
      ${updates.map((u) => u.price.toFixed(2))}::numeric[], ${col('category')}::text[],
      ${col('quantity')}::int[], ${col('lowStockThreshold')}::int[]
    ) AS v(id, sku, name, description, price, category, quantity, low_stock_threshold)
    WHERE p.id = v.id
    RETURNING p.*`;
  const byId = new Map(rows.map((row) => [row.id, fromRaw(row)]));
  return updates.map((u) => byId.get(u.id)!);
}
