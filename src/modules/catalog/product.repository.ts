import { Decimal } from 'decimal.js';
import { Prisma, type Product } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { appendEventCtes } from '../events/events.repository.js';
import type { StockMovementReason } from '../inventory/stock-movement.model.js';
import type { ProductRecord, ProductView } from './product.model.js';
import type { ProductColumn } from './product.selection.js';
import { saturateInt32 } from '../../graphql/int32.js';
import { searchSql } from './search-index.repository.js';
import { readRows } from '../../infra/pool-reads.js';

type Db = Database | Tx;

export type ProductSortField = 'created_at' | 'updated_at' | 'name' | 'price' | 'quantity';

export interface ProductQuery {
  search?: string;
  category?: string;
  minPrice?: Decimal;
  maxPrice?: Decimal;
  inStock?: boolean;
  lowStock?: boolean;
}

export interface ProductSort {
  field: ProductSortField;
  descending: boolean;
}

/** A position in a sorted list: the sort field's value and the id that breaks ties. */
export interface ProductPosition {
  value: string | number | Date;
  id: number;
}

function toRecord(row: Product): ProductRecord {
  return { ...row, price: new Decimal(row.price.toString()) };
}

/** PostgreSQL's to_char pattern for Date.toISOString (milliseconds, UTC). */
const ISO_MILLIS = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/** toProductJson of the row `alias` (a products row, or one with its columns), built by the database, as one-statement writes put it in their events. */
export function productJsonSql(alias: string): Prisma.Sql {
  const a = Prisma.raw(alias);
  return Prisma.sql`jsonb_build_object('id', ${a}.id, 'sku', ${a}.sku, 'name', ${a}.name, 'description', ${a}.description,
    'price', ${a}.price::text, 'category', ${a}.category, 'quantity', ${a}.quantity, 'reserved', ${a}.reserved,
    'lowStockThreshold', ${a}.low_stock_threshold, 'version', ${a}.version,
    'createdAt', to_char(${a}.created_at AT TIME ZONE 'UTC', ${ISO_MILLIS}), 'updatedAt', to_char(${a}.updated_at AT TIME ZONE 'UTC', ${ISO_MILLIS}))`;
}

/**
 * Creates a product as one statement, which is its own transaction: the product, its initial
 * stock's movement (when it starts with stock), then its ProductCreated event appended last
 * (appendEventCtes). One round trip and no interactive transaction; the seller's sequence row
 * is locked for this statement only. Run it through runOneStatement.
 */
export async function createProductWithEvent(
  db: Database,
  data: Pick<ProductRecord, 'sellerId' | 'sku' | 'name' | 'description' | 'price' | 'category' | 'quantity' | 'lowStockThreshold'>,
  stock: { reason: StockMovementReason; note: string | null },
): Promise<ProductRecord> {
  const rows = await db.$queryRaw<RawProduct[]>`
    WITH p AS (
      INSERT INTO products (seller_id, sku, name, description, price, category, quantity, low_stock_threshold)
      VALUES (${data.sellerId}, ${data.sku}, ${data.name}, ${data.description}, ${data.price.toFixed(2)}::numeric, ${data.category},
        ${data.quantity}::int, ${data.lowStockThreshold}::int)
      RETURNING *
    ), movement AS (
      INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note)
      SELECT p.seller_id, p.id, p.quantity, ${stock.reason}::text::"StockMovementReason", p.quantity, ${stock.note} FROM p WHERE p.quantity <> 0
    ), ${appendEventCtes(
      data.sellerId,
      'ProductCreated',
      Prisma.sql`SELECT p.id AS product_id, jsonb_build_object('sellerId', p.seller_id, 'productId', p.id, 'product', ${productJsonSql('p')}) AS payload FROM p`,
    )}
    SELECT p.* FROM p, appended`;
  return fromRaw(rows[0]!);
}

export async function findProduct(db: Db, sellerId: string, id: number): Promise<ProductRecord | null> {
  const row = await db.product.findFirst({ where: { id, sellerId } });
  return row && toRecord(row);
}

export async function findProducts(db: Db, sellerId: string, ids: readonly number[]): Promise<ProductRecord[]> {
  const rows = await db.product.findMany({ where: { sellerId, id: { in: [...ids] } } });
  return rows.map(toRecord);
}

export async function findProductBySku(db: Db, sellerId: string, sku: string): Promise<ProductRecord | null> {
  const row = await db.product.findUnique({ where: { sellerId_sku: { sellerId, sku } } });
  return row && toRecord(row);
}

/** Reads the product under a row lock held until the transaction ends. */
export async function lockProduct(tx: Tx, sellerId: string, id: number): Promise<ProductRecord | null> {
  const [row] = await tx.$queryRaw<RawProduct[]>`SELECT * FROM products WHERE id = ${id} AND seller_id = ${sellerId} FOR UPDATE`;
  return row ? fromRaw(row) : null;
}

/** Writes changed fields of a locked product and bumps its version. */
export async function updateProductFields(
  tx: Tx,
  id: number,
  data: Partial<Pick<ProductRecord, 'sku' | 'name' | 'description' | 'price' | 'category' | 'quantity' | 'reserved' | 'lowStockThreshold'>>,
): Promise<ProductRecord> {
  const { price, ...rest } = data;
  const row = await tx.product.update({
    where: { id },
    data: { ...rest, ...(price ? { price: price.toFixed(2) } : {}), version: { increment: 1 }, updatedAt: new Date() },
  });
  return toRecord(row);
}

export async function deleteProductRow(tx: Tx, id: number): Promise<void> {
  await tx.product.delete({ where: { id } });
}

export async function countSellerProducts(db: Db, sellerId: string): Promise<number> {
  return db.product.count({ where: { sellerId } });
}

function filterSql(sellerId: string, q: ProductQuery): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`seller_id = ${sellerId}`];
  if (q.search) parts.push(searchSql(sellerId, q.search));
  if (q.category !== undefined) parts.push(Prisma.sql`category = ${q.category}`);
  if (q.minPrice) parts.push(Prisma.sql`price >= ${q.minPrice.toFixed()}::numeric`);
  if (q.maxPrice) parts.push(Prisma.sql`price <= ${q.maxPrice.toFixed()}::numeric`);
  if (q.inStock === true) parts.push(Prisma.sql`quantity - reserved > 0`);
  if (q.inStock === false) parts.push(Prisma.sql`quantity - reserved <= 0`);
  if (q.lowStock === true) parts.push(Prisma.sql`quantity - reserved <= low_stock_threshold`);
  if (q.lowStock === false) parts.push(Prisma.sql`quantity - reserved > low_stock_threshold`);
  return Prisma.join(parts, ' AND ');
}

function positionParam(field: ProductSortField, value: ProductPosition['value']): Prisma.Sql {
  if (field === 'price') return Prisma.sql`${String(value)}::numeric`;
  if (field === 'created_at' || field === 'updated_at') return Prisma.sql`${new Date(value)}::timestamptz`;
  return Prisma.sql`${value}`;
}

function beyond(sort: ProductSort, at: ProductPosition, forward: boolean): Prisma.Sql {
  const column = Prisma.raw(sort.field);
  const after = forward !== sort.descending;
  const op = Prisma.raw(after ? '>' : '<');
  return Prisma.sql`(${column}, id) ${op} (${positionParam(sort.field, at.value)}, ${at.id})`;
}

/**
 * One page of products in keyset order: up to `limit` rows past `from` in the given
 * direction (backward pages come out in reverse order).
 */
export async function listProducts(
  db: Db,
  sellerId: string,
  q: ProductQuery,
  sort: ProductSort,
  page: { from?: ProductPosition; forward: boolean; limit: number },
): Promise<ProductRecord[]> {
  const where = page.from ? Prisma.sql`${filterSql(sellerId, q)} AND ${beyond(sort, page.from, page.forward)}` : filterSql(sellerId, q);
  const dir = Prisma.raw(page.forward !== sort.descending ? 'ASC' : 'DESC');
  const rows = await db.$queryRaw<RawProduct[]>`
    SELECT * FROM products WHERE ${where}
    ORDER BY ${Prisma.raw(sort.field)} ${dir}, id ${dir} LIMIT ${page.limit}`;
  return rows.map(fromRaw);
}

// Hot reads (product, productBySku, products): one statement each, reading only the columns the
// operation selected, aliased to the record's field names so a row needs no mapping but its price.
// ORDER BY names products.<column>: a bare name would sort by the output column (price as text).
const COLUMN_SQL: Readonly<Record<ProductColumn, string>> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  price: 'price::text AS price',
  category: 'category',
  quantity: 'quantity',
  reserved: 'reserved',
  low_stock_threshold: 'low_stock_threshold AS "lowStockThreshold"',
  version: 'version',
  created_at: 'created_at AS "createdAt"',
  updated_at: 'updated_at AS "updatedAt"',
};

function selectList(columns: readonly ProductColumn[]): string {
  return ['id', 'seller_id AS "sellerId"', ...columns.map((c) => COLUMN_SQL[c])].join(', ');
}


export async function findProductView(db: Db, sellerId: string, id: number, columns: readonly ProductColumn[]): Promise<ProductView | null> {
  const rows = await readRows<ProductView>(db, { text: `SELECT ${selectList(columns)} FROM products WHERE id = $1 AND seller_id = $2`, values: [id, sellerId] });
  return rows[0] ?? null;
}

export async function findProductViewBySku(db: Db, sellerId: string, sku: string, columns: readonly ProductColumn[]): Promise<ProductView | null> {
  const rows = await readRows<ProductView>(db, { text: `SELECT ${selectList(columns)} FROM products WHERE seller_id = $1 AND sku = $2`, values: [sellerId, sku] });
  return rows[0] ?? null;
}

/** listProducts reading only `columns` (the sort column is always read: cursors are made of it). */
export async function listProductViews(
  db: Db,
  sellerId: string,
  q: ProductQuery,
  sort: ProductSort,
  page: { from?: ProductPosition; forward: boolean; limit: number },
  columns: readonly ProductColumn[],
): Promise<ProductView[]> {
  const where = page.from ? Prisma.sql`${filterSql(sellerId, q)} AND ${beyond(sort, page.from, page.forward)}` : filterSql(sellerId, q);
  const dir = Prisma.raw(page.forward !== sort.descending ? 'ASC' : 'DESC');
  const selected = columns.includes(sort.field) ? columns : [...columns, sort.field];
  const rows = await readRows<ProductView>(
    db,
    Prisma.sql`
    SELECT ${Prisma.raw(selectList(selected))} FROM products WHERE ${where}
    ORDER BY ${Prisma.raw(`products.${sort.field}`)} ${dir}, products.id ${dir} LIMIT ${page.limit}`,
  );
  return rows;
}

/** Whether any matching product lies on the other side of a position (for pageInfo). */
export async function anyProductBefore(db: Db, sellerId: string, q: ProductQuery, sort: ProductSort, at: ProductPosition, forward: boolean) {
  const column = Prisma.raw(sort.field);
  const op = Prisma.raw(forward !== sort.descending ? '<=' : '>=');
  const rows = await readRows<{ found: boolean }>(
    db,
    Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM products WHERE ${filterSql(sellerId, q)}
      AND (${column}, id) ${op} (${positionParam(sort.field, at.value)}, ${at.id})) AS found`,
  );
  return rows[0]?.found === true;
}

export async function countProducts(db: Db, sellerId: string, q: ProductQuery): Promise<number> {
  const rows = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM products WHERE ${filterSql(sellerId, q)}`;
  return Number(rows[0]?.count ?? 0);
}

/** A products row as raw SQL returns it. */
export interface RawProduct {
  id: number;
  seller_id: string;
  sku: string | null;
  name: string;
  description: string | null;
  price: Prisma.Decimal;
  category: string;
  quantity: number;
  reserved: number;
  low_stock_threshold: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export function fromRaw(r: RawProduct): ProductRecord {
  return {
    id: r.id,
    sellerId: r.seller_id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    price: new Decimal(r.price.toString()),
    category: r.category,
    quantity: r.quantity,
    reserved: r.reserved,
    lowStockThreshold: r.low_stock_threshold,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface CategoryStockRow {
  category: string;
  productCount: number;
  units: number;
  available: number;
  lowStockCount: number;
}

/** Units on hand per category, for dashboards. */
export async function stockByCategory(db: Db, sellerId: string): Promise<CategoryStockRow[]> {
  const rows = await db.$queryRaw<{ category: string; product_count: bigint; units: bigint | null; available: bigint | null; low: bigint }[]>`
    SELECT category, count(*) AS product_count, sum(quantity) AS units, sum(quantity - reserved) AS available,
      count(*) FILTER (WHERE quantity - reserved <= low_stock_threshold) AS low
    FROM products WHERE seller_id = ${sellerId} GROUP BY category ORDER BY category LIMIT 500`;
  return rows.map((r) => ({
    category: r.category,
    productCount: Number(r.product_count),
    units: saturateInt32(r.units ?? 0),
    available: saturateInt32(r.available ?? 0),
    lowStockCount: Number(r.low),
  }));
}
