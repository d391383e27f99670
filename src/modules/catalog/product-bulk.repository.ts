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
