// Product writes for bulk imports: one statement for many rows, in the caller's transaction.
import { Prisma } from '../../generated/prisma/client.js';
import { afterCommit } from '../../infra/after-commit.js';
import type { Tx } from '../../infra/prisma.js';
import { appendEventRowsCtes } from '../events/events.repository.js';
import { eventsCommitted } from '../events/events-committed.js';
import type { StockMovementReason } from '../inventory/stock-movement.model.js';
import type { ProductRecord } from './product.model.js';
import { fromRaw, productJsonSql, type RawProduct } from './product.repository.js';

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
 * then loops over every staged row for each of its products. For the same reason the seller is
 * an InitPlan's value, unknown to the planner: compared with the literal seller, which the stale
 * statistics say has one product, it read every product of the seller through (seller_id,
 * category) for each batch (O(rows imported) per batch: 1.8 s at 100,000) instead of probing
 * (seller_id, sku) per SKU.
 */
export async function lockStagedProducts(tx: Tx, sellerId: string, batch: StagedBatch, skus: string[]): Promise<{ staged: number; products: ProductRecord[] }> {
  // one round trip: the count rides on every row (or on a single row of nulls when nothing is locked)
  const rows = await tx.$queryRaw<(RawProduct & { staged: number })[]>`
    WITH locked AS (
      SELECT p.* FROM products p WHERE p.seller_id = (SELECT ${sellerId}::text) AND p.sku = ANY(${skus}::text[]) ORDER BY p.id FOR UPDATE
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
 * One row's change of a product in a batch, in row order: the product as its row `row` leaves it,
 * and what it was before (before quantity null: the row created it; prev null otherwise: the
 * product as locked; else the product as the step of row `prev` left it). `target` is the row of
 * the product's StagedWrite.
 */
export interface StagedStep {
  row: number;
  target: number;
  prev: number | null;
  quantity: number;
  lowStockThreshold: number;
  version: number;
  beforeQuantity: number | null;
  beforeLowStockThreshold: number | null;
}

/** What a batch's move and stock are recorded as. */
export interface StagedWriteReason {
  reason: StockMovementReason;
  note: string | null;
}

/** An int[] as one text parameter: an array parameter costs pg an escape per element. */
const intArray = (values: (number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : v)).join(',')}}`;

const CHANGE_FIELDS = Prisma.raw(`ARRAY['sku', 'name', 'description', 'price', 'category', 'quantity', 'reserved', 'lowStockThreshold']`);

/**
 * Inserts the new products and overwrites the existing ones in one INSERT ... SELECT ... ON CONFLICT
 * over the staged rows, deleting the batch's staged rows in the same statement (it still reads
 * them: every part of a statement sees the same snapshot), and writes each step's stock movement
 * and events (ProductCreated, or ProductUpdated with the changed
 * fields and a LowStockWarning when it crosses into low stock), built by the database and appended
 * last. Returns how many of the writes it matched: a product that appears only through the
 * conflict (a SKU another writer created since the lock) is not counted, and the caller rolls back.
 */
export async function upsertStagedProducts(
  tx: Tx,
  sellerId: string,
  batch: StagedBatch,
  writes: StagedWrite[],
  steps: StagedStep[],
  stock: StagedWriteReason,
): Promise<number> {
  if (writes.length === 0) {
    await deleteStagedRows(tx, batch);
    return 0;
  }
  const col = <K extends keyof StagedWrite>(key: K) => intArray(writes.map((w) => w[key]));
  const step = <K extends keyof StagedStep>(key: K) => intArray(steps.map((s) => s[key]));
  // the batch's row range on every join with the staged rows: joined on run alone, each read every
  // (dead) index entry of the attempt so far, O(rows imported) per batch
  const inBatch = (alias: string) => Prisma.sql`${Prisma.raw(alias)}.row > ${batch.from}::int AND ${Prisma.raw(alias)}.row <= ${batch.to}::int`;
  // new ids are drawn in the materialized CTE (it calls nextval), so each written row is matched to its staged row;
  // products read outside `w` are the snapshot before the write: the locked products as they were
  const [result] = await tx.$queryRaw<{ written: number; events: number }[]>`
    WITH seq AS (
      SELECT pg_get_serial_sequence('products', 'id')::regclass AS id
    ), d AS MATERIALIZED (
      -- the sequence is resolved once (an InitPlan), not looked up and cast from its name for every row
      SELECT u.row, coalesce(u.id, nextval((SELECT id FROM seq))::int) AS id,
        u.quantity, u.low_stock_threshold, u.version
      FROM unnest(${col('row')}::int[], ${col('id')}::int[], ${col('quantity')}::int[], ${col('lowStockThreshold')}::int[], ${col('version')}::int[])
        AS u(row, id, quantity, low_stock_threshold, version)
    ), gone AS (
      DELETE FROM import_staged_rows WHERE run = ${batch.run}::uuid AND row > ${batch.from}::int AND row <= ${batch.to}::int
    ), w AS (
      INSERT INTO products AS p (id, seller_id, sku, name, description, price, category, quantity, low_stock_threshold, version)
      SELECT d.id, ${sellerId}, s.sku, s.name, s.description, s.price, s.category, d.quantity, d.low_stock_threshold, d.version
      FROM d JOIN import_staged_rows s ON s.run = ${batch.run}::uuid AND ${inBatch('s')} AND s.row = d.row
      ORDER BY d.row
      ON CONFLICT (seller_id, sku) DO UPDATE SET
        name = excluded.name, description = excluded.description, price = excluded.price, category = excluded.category,
        quantity = excluded.quantity, low_stock_threshold = excluded.low_stock_threshold, version = excluded.version, updated_at = now()
      RETURNING p.id, p.reserved, p.created_at, p.updated_at
    ), wd AS (
      SELECT d.row AS target, w.* FROM w JOIN d ON d.id = w.id
    ), st AS (
      SELECT * FROM unnest(${step('row')}::int[], ${step('target')}::int[], ${step('prev')}::int[], ${step('quantity')}::int[],
        ${step('lowStockThreshold')}::int[], ${step('version')}::int[], ${step('beforeQuantity')}::int[], ${step('beforeLowStockThreshold')}::int[])
        AS u(row, target, prev, quantity, low_stock_threshold, version, before_quantity, before_low_stock_threshold)
    ), x AS (
      SELECT st.row, wd.id, st.before_quantity IS NULL AS created, st.quantity, st.low_stock_threshold, wd.reserved,
        st.quantity - coalesce(st.before_quantity, 0) AS delta,
        st.before_quantity IS NOT NULL AND st.before_quantity - wd.reserved > st.before_low_stock_threshold
          AND st.quantity - wd.reserved <= st.low_stock_threshold AS into_low_stock,
        ${productJsonSql('a')} AS product,
        -- a scalar subquery, run only for the rows that need it: a join here (even LATERAL) was flattened and planned as
        -- a hash of every product in the table, O(table) per batch and spilling to disk past work_mem
        CASE WHEN st.prev IS NOT NULL THEN ${productJsonSql('b')}
          WHEN st.before_quantity IS NOT NULL THEN (SELECT ${productJsonSql('e')} FROM products e WHERE e.id = wd.id) END AS before
      FROM st
      JOIN wd ON wd.target = st.target
      JOIN import_staged_rows s ON s.run = ${batch.run}::uuid AND ${inBatch('s')} AND s.row = st.row
      LEFT JOIN import_staged_rows sp ON sp.run = ${batch.run}::uuid AND ${inBatch('sp')} AND sp.row = st.prev
      CROSS JOIN LATERAL (SELECT wd.id, s.sku, s.name, s.description, s.price, s.category, st.quantity, wd.reserved,
        st.low_stock_threshold, st.version, wd.created_at, wd.updated_at) a
      CROSS JOIN LATERAL (SELECT wd.id, sp.sku, sp.name, sp.description, sp.price, sp.category, st.before_quantity AS quantity, wd.reserved,
        st.before_low_stock_threshold AS low_stock_threshold, st.version - 1 AS version, wd.created_at, wd.updated_at) b
    ), xc AS (
      SELECT x.*, CASE WHEN x.created THEN NULL ELSE (
        SELECT coalesce(jsonb_object_agg(k, x.product -> k), '{}'::jsonb) FROM unnest(${CHANGE_FIELDS}) k WHERE x.before -> k IS DISTINCT FROM x.product -> k
      ) END AS changes
      FROM x
    ), movement AS (
      INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note)
      SELECT ${sellerId}, xc.id, xc.delta, ${stock.reason}::text::"StockMovementReason", xc.quantity, ${stock.note}
      FROM xc WHERE xc.delta <> 0 ORDER BY xc.row
    ), ev AS (
      SELECT xc.row::bigint * 2 AS ord, CASE WHEN xc.created THEN 'ProductCreated' ELSE 'ProductUpdated' END AS type, xc.id AS product_id,
        CASE WHEN xc.created THEN jsonb_build_object('sellerId', ${sellerId}::text, 'productId', xc.id, 'product', xc.product)
          ELSE jsonb_build_object('sellerId', ${sellerId}::text, 'productId', xc.id, 'changes', xc.changes, 'product', xc.product) END AS payload
      FROM xc WHERE xc.created OR xc.changes <> '{}'::jsonb
      UNION ALL
      SELECT xc.row::bigint * 2 + 1, 'LowStockWarning', xc.id,
        jsonb_build_object('sellerId', ${sellerId}::text, 'productId', xc.id, 'currentQuantity', xc.quantity - xc.reserved, 'threshold', xc.low_stock_threshold)
      FROM xc WHERE xc.into_low_stock AND xc.changes <> '{}'::jsonb
    ), ${appendEventRowsCtes(sellerId, Prisma.sql`SELECT * FROM ev`)}
    SELECT (SELECT count(*) FROM wd)::int AS written, (SELECT count(*) FROM appended)::int AS events`;
  if (result!.events > 0) afterCommit(tx, eventsCommitted);
  return result!.written;
}

/** Drops the staged rows of a batch that writes no product (with the batch, so a rolled-back batch keeps them). */
async function deleteStagedRows(tx: Tx, batch: StagedBatch): Promise<void> {
  await tx.$executeRaw`DELETE FROM import_staged_rows WHERE run = ${batch.run}::uuid AND row > ${batch.from}::int AND row <= ${batch.to}::int`;
}
