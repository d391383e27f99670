// Applies an uploaded product CSV in batches, each batch one transaction that also advances the
// job's committed position: a retried import skips exactly the rows already applied.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../infra/blob-store.js';
import { inTransaction, isUniqueViolation, type Database, type Tx } from '../../infra/prisma.js';
import { productChanges, type ProductFields, type ProductRecord } from '../catalog/product.model.js';
import { recordProductWrites, type ProductWrite } from '../catalog/product-change.js';
import { insertProducts, lockProductsBySku, updateProducts } from '../catalog/product-bulk.repository.js';
import { MAX_KEPT_ROW_ERRORS, type ImportModeName, type JobRecord, type RowErrorRecord } from './job.model.js';
import { lockJobPosition, saveImportBatch, setTotalRows } from './jobs.repository.js';
import { columnIndex, csvFileError, CsvFileError, productCsvParser, readProductRow, type ColumnIndex, type ProductRow } from './product-csv.js';

export interface BulkRunContext {
  db: Database;
  blobs: BlobStore;
  batchRows: number;
  /** Tells watchers the job changed. */
  changed: (jobId: string) => Promise<void>;
  /** True when the worker is shutting down: stop after the current batch. */
  stopping: () => boolean;
}

/** Another worker advanced the job's position: this run lost it (it stalled) and must stop without writing. */
export class JobTakenOver extends Error {}

const NEW_PRODUCT_DEFAULTS = { quantity: 0, lowStockThreshold: 5 };

/** Yields the header, then each data row with its 1-based number. */
async function* records(source: Readable, fieldsOnly = false): AsyncGenerator<{ row: number; fields: (string | null)[] }> {
  const parser = productCsvParser({ fieldsOnly });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let row = -1;
  try {
    for await (const fields of parser as AsyncIterable<(string | null)[]>) yield { row: ++row, fields };
  } catch (error) {
    throw csvFileError(error);
  } finally {
    source.destroy();
  }
}

function missingBlob(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CsvFileError('The uploaded file is no longer available');
  throw error;
}

/** Counts data rows in a cheap first pass; also fails early on a bad header or malformed CSV. */
async function countRows(blobs: BlobStore, key: string): Promise<number> {
  let rows = 0;
  try {
    for await (const { row, fields } of records(blobs.get(key), true)) {
      if (row === 0) columnIndex(fields);
      else rows = row;
    }
  } catch (error) {
    missingBlob(error);
  }
  return rows;
}

export async function runProductImport(ctx: BulkRunContext, job: JobRecord): Promise<'completed' | 'interrupted'> {
  if (job.totalRows === null) {
    const total = await countRows(ctx.blobs, job.blobKey);
    await setTotalRows(ctx.db, job.id, total);
    await ctx.changed(job.id);
  }
  let columns: ColumnIndex | undefined;
  let position = job.processedRows;
  let batch: { row: number; fields: (string | null)[] }[] = [];
  try {
    for await (const record of records(ctx.blobs.get(job.blobKey))) {
      if (record.row === 0) {
        columns = columnIndex(record.fields);
        continue;
      }
      if (record.row <= position) continue; // committed by an earlier attempt
      batch.push(record);
      if (batch.length < ctx.batchRows) continue;
      await applyBatch(ctx, job, columns!, batch, position);
      position += batch.length;
      batch = [];
      await ctx.changed(job.id);
      if (ctx.stopping()) return 'interrupted';
    }
  } catch (error) {
    missingBlob(error);
  }
  if (!columns) throw new CsvFileError(`The file is empty: the first line must be the header ${['sku', 'name', 'description', 'price', 'quantity', 'category', 'lowStockThreshold'].join(',')}`);
  if (batch.length > 0) await applyBatch(ctx, job, columns, batch, position);
  return 'completed';
}

async function applyBatch(ctx: BulkRunContext, job: JobRecord, columns: ColumnIndex, batch: { row: number; fields: (string | null)[] }[], position: number) {
  const rows = batch.map(({ row, fields }) => ({ row, result: readProductRow(row, fields, columns) }));
  for (let attempt = 1; ; attempt++) {
    try {
      await inTransaction(ctx.db, async (tx) => {
        const at = await lockJobPosition(tx, job.id);
        if (!at || at.state !== 'ACTIVE' || at.processedRows !== position) throw new JobTakenOver(`job ${job.id} moved on without this worker`);
        const outcome = await writeRows(tx, job, rows);
        await saveImportBatch(tx, job.id, {
          processed: batch.length,
          succeeded: batch.length - outcome.failedRows,
          failed: outcome.failedRows,
          errors: outcome.errors.slice(0, Math.max(0, MAX_KEPT_ROW_ERRORS - at.rowErrorCount)),
        });
      });
      return;
    } catch (error) {
      // a SKU created concurrently by the API: read the batch again and apply it as an update
      if (isUniqueViolation(error) && attempt < 3) continue;
      throw error;
    }
  }
}

type Row = { row: number; result: ReturnType<typeof readProductRow> };
type ValidRow = { row: number; product: ProductRow };

/** Writes the valid rows in file order; returns the row errors of the batch, in row order. */
async function writeRows(tx: Tx, job: JobRecord, rows: Row[]): Promise<{ errors: RowErrorRecord[]; failedRows: number }> {
  const errors: RowErrorRecord[] = [];
  const valid: ValidRow[] = [];
  for (const { row, result } of rows) {
    if (result.ok) valid.push({ row, product: result.product });
    else errors.push(...result.errors);
  }
  // a SKU seen twice starts a new segment, so the second row sees what the first one wrote
  let segment: ValidRow[] = [];
  const seen = new Set<string>();
  for (const r of valid) {
    if (r.product.sku !== null && seen.has(r.product.sku)) {
      errors.push(...(await writeSegment(tx, job, segment)));
      segment = [];
      seen.clear();
    }
    if (r.product.sku !== null) seen.add(r.product.sku);
    segment.push(r);
  }
  errors.push(...(await writeSegment(tx, job, segment)));
  errors.sort((a, b) => a.row - b.row);
  return { errors, failedRows: new Set(errors.map((e) => e.row)).size };
}

async function writeSegment(tx: Tx, job: JobRecord, rows: ValidRow[]): Promise<RowErrorRecord[]> {
  if (rows.length === 0) return [];
  const mode: ImportModeName = job.mode ?? 'UPSERT';
  const skus = rows.flatMap((r) => (r.product.sku === null ? [] : [r.product.sku]));
  const existing = new Map((await lockProductsBySku(tx, job.sellerId, skus)).map((p) => [p.sku!, p]));
  const errors: RowErrorRecord[] = [];
  const creates: { row: number; fields: ProductFields }[] = [];
  const updates: { row: number; before: ProductRecord; fields: ProductFields }[] = [];

  for (const { row, product } of rows) {
    const before = product.sku === null ? undefined : existing.get(product.sku);
    if (!before) {
      creates.push({
        row,
        fields: {
          ...product,
          quantity: product.quantity ?? NEW_PRODUCT_DEFAULTS.quantity,
          lowStockThreshold: product.lowStockThreshold ?? NEW_PRODUCT_DEFAULTS.lowStockThreshold,
        },
      });
      continue;
    }
    if (mode === 'CREATE_ONLY') {
      errors.push({ row, field: 'sku', message: `A product with SKU ${product.sku} already exists` });
      continue;
    }
    // an empty quantity or threshold leaves the product's own value
    const fields: ProductFields = {
      ...product,
      quantity: product.quantity ?? before.quantity,
      lowStockThreshold: product.lowStockThreshold ?? before.lowStockThreshold,
    };
    if (fields.quantity < before.reserved) {
      errors.push({ row, field: 'quantity', message: `Quantity cannot go below the ${before.reserved} units held by reservations` });
      continue;
    }
    if (Object.keys(productChanges(before, { ...before, ...fields })).length === 0) continue; // nothing to change
    updates.push({ row, before, fields });
  }

  const created = await insertProducts(tx, job.sellerId, creates.map((c) => c.fields));
  const updated = await updateProducts(tx, updates.map((u) => ({ ...u.fields, id: u.before.id })));
  const writes: (ProductWrite & { row: number })[] = [
    ...creates.map((c, i) => ({ row: c.row, before: null, after: created[i]! })),
    ...updates.map((u, i) => ({ row: u.row, before: u.before, after: updated[i]! })),
  ].sort((a, b) => a.row - b.row);
  await recordProductWrites(tx, job.sellerId, writes, { reason: 'IMPORT', note: `import ${job.id}` });
  return errors;
}
