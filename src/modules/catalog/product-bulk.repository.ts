// Product writes for bulk imports: one statement for many rows, in the caller's transaction.
import type { Tx } from '../../infra/prisma.js';
import type { ProductRecord } from './product.model.js';
import { fromRaw, type RawProduct } from './product.repository.js';

/** The staged rows of one import batch: those after row `from` up to row `to` of the attempt `run`. */
export interface StagedBatch {
  run: string;
  from: number;
  to: number;
}

/**
 * Locks the seller's products with these SKUs (in id order, as every writer locks) and counts the
 * batch's staged rows, so a caller can tell its rows are all there. The SKUs come as an array,
 * not from the staging table: a new seller's statistics say it has no products, and the planner
 * then loops over every staged row for each of its products.
 */
export async function lockStagedProducts(tx: Tx, sellerId: string, batch: StagedBatch, skus: string[]): Promise<{ staged: number; products: ProductRecord[] }> {
  // one round trip: the count rides on every row (or on a single row of nulls when nothing is locked)
  const rows = await tx.$queryRaw<(RawProduct & { staged: number })[]>`
    WITH locked AS (
      SELECT p.* FROM products p WHERE p.seller_id = ${sellerId} AND p.sku = ANY(${skus}::text[]) ORDER BY p.id FOR UPDATE
    )
    SELECT (SELECT count(*) FROM import_staged_rows WHERE run = ${batch.run}::uuid AND row > ${batch.from}::int AND row <= ${batch.to}::int)::int AS staged, l.*
    FROM (SELECT 1) AS one LEFT JOIN locked l ON true`;
  return { staged: rows[0]?.staged ?? 0, products: rows.filter((r) => r.id !== null).map(fromRaw) };
}

/**
 * One product's final state after a batch: the staged row whose text fields it takes (the last
 * row that changed it), the id of an existing product (null for a new one), and the values
 * the batch resolved from earlier rows and defaults.
 */
export interface StagedWrite {
  row: number;
  id: number | null;
  quantity: number;
  lowStockThreshold: number;
  version: number;
}

/**
 * Inserts the new products and overwrites the existing ones in one INSERT ... SELECT ... ON CONFLICT
 * over the staged rows, deleting the batch's staged rows in the same statement (it still reads
 * them: every part of a statement sees the same snapshot); returns each written product by its staged row. A product that appears
 * only through the conflict (a SKU another writer created since the lock) is missing from the answer.
 */
export async function upsertStagedProducts(tx: Tx, sellerId: string, batch: StagedBatch, writes: StagedWrite[]): Promise<Map<number, ProductRecord>> {
  if (writes.length === 0) {
    await deleteStagedRows(tx, batch);
    return new Map();
  }
  const col = <K extends keyof StagedWrite>(key: K) => writes.map((w) => w[key]);
  // new ids are drawn in the materialized CTE (it calls nextval), so each written row is matched to its staged row
  const rows = await tx.$queryRaw<(RawProduct & { import_row: number })[]>`
    WITH d AS (
      SELECT u.row, coalesce(u.id, nextval(pg_get_serial_sequence('products', 'id'))::int) AS id,
        u.quantity, u.low_stock_threshold, u.version
      FROM unnest(${col('row')}::int[], ${col('id')}::int[], ${col('quantity')}::int[], ${col('lowStockThreshold')}::int[], ${col('version')}::int[])
        AS u(row, id, quantity, low_stock_threshold, version)
    ), gone AS (
      DELETE FROM import_staged_rows WHERE run = ${batch.run}::uuid AND row > ${batch.from}::int AND row <= ${batch.to}::int
    ), w AS (
      INSERT INTO products AS p (id, seller_id, sku, name, description, price, category, quantity, low_stock_threshold, version)
      SELECT d.id, ${sellerId}, s.sku, s.name, s.description, s.price, s.category, d.quantity, d.low_stock_threshold, d.version
      FROM d JOIN import_staged_rows s ON s.run = ${batch.run}::uuid AND s.row = d.row
      ORDER BY d.row
      ON CONFLICT (seller_id, sku) DO UPDATE SET
        name = excluded.name, description = excluded.description, price = excluded.price, category = excluded.category,
        quantity = excluded.quantity, low_stock_threshold = excluded.low_stock_threshold, version = excluded.version, updated_at = now()
      RETURNING p.*
    )
    SELECT d.row AS import_row, w.* FROM w JOIN d ON d.id = w.id`;
  return new Map(rows.map((r) => [r.import_row, fromRaw(r)]));
}

/** Drops the staged rows of a batch that writes no product (with the batch, so a rolled-back batch keeps them). */
async function deleteStagedRows(tx: Tx, batch: StagedBatch): Promise<void> {
  await tx.$executeRaw`DELETE FROM import_staged_rows WHERE run = ${batch.run}::uuid AND row > ${batch.from}::int AND row <= ${batch.to}::int`;
}
