// Applies an uploaded product CSV in batches. The file is read once, in a stream: each batch's
// valid rows are loaded into a staging table with COPY (while the batch before is applied), then
// applied set-based in one transaction that also advances the job's committed position, so a
// retried import skips exactly the rows already applied.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../infra/blob-store.js';
import { inTransaction, isUniqueViolation, type Database } from '../../infra/prisma.js';
import { lockStagedProducts, upsertStagedProducts, type StagedBatch } from '../catalog/product-bulk.repository.js';
import { planImport } from './import-plan.js';
import { ImportStaging, type StagedRow } from './import-staging.js';
import { MAX_KEPT_ROW_ERRORS, type JobRecord, type RowErrorRecord } from './job.model.js';
import { lockJobPosition, saveImportBatch, setTotalRows } from './jobs.repository.js';
import { columnIndex, csvFileError, CsvFileError, PRODUCT_CSV_COLUMNS, productCsvParser, productFields, readProductRow, type ColumnIndex } from './product-csv.js';
import { toGlobalId } from '../../graphql/global-id.js';

export interface BulkRunContext {
  db: Database;
  databaseUrl: string;
  blobs: BlobStore;
  batchRows: number;
  /** Tells watchers the job changed. */
  changed: (jobId: string) => Promise<void>;
  /** True when the worker is shutting down: stop after the current batch. */
  stopping: () => boolean;
  /**
   * Tells the seller's catalog intelligence that an import ended (completed or failed for good):
   * its recomputes wait while the seller imports.
   */
  importEnded: (sellerId: string) => Promise<void>;
}

/** Another worker advanced the job's position: this run lost it (it stalled) and must stop without writing. */
export class JobTakenOver extends Error {}

/** A SKU another writer created between the batch's lock and its write: the batch is read again. */
class ConcurrentCreate extends Error {}

/** Yields the header, then each data row with its 1-based number. */
export async function* records(source: Readable, fieldsOnly = false): AsyncGenerator<{ row: number; fields: (string | null)[] }> {
  const parser = productCsvParser({ fieldsOnly });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let row = -1;
  try {
    if (fieldsOnly) {
      for await (const fields of parser as AsyncIterable<string[]>) yield { row: ++row, fields };
    } else {
      for await (const record of parser as AsyncIterable<{ record: string[]; raw: string }>) yield { row: ++row, fields: productFields(record) };
    }
  } catch (error) {
    throw csvFileError(error);
  } finally {
    source.destroy();
  }
}

export function missingBlob(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CsvFileError('The uploaded file is no longer available');
  throw error;
}

/** Counts data rows in a cheap first pass; also fails early on a bad header or malformed CSV, before any row is written. */
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

/** One batch as read from the file: its place, its valid rows and the errors found while reading. */
interface Batch {
  /** The committed position the batch starts from (rows up to it were applied before). */
  position: number;
  size: number;
  valid: StagedRow[];
  errors: RowErrorRecord[];
}

export async function runProductImport(ctx: BulkRunContext, job: JobRecord): Promise<'completed' | 'interrupted'> {
  if (job.totalRows === null) {
    const total = await countRows(ctx.blobs, job.blobKey);
    await setTotalRows(ctx.db, job.id, total);
    await ctx.changed(job.id);
  }
  const staging = await ImportStaging.open(ctx.databaseUrl, job.id);
  try {
    return await importRows(ctx, job, staging);
  } finally {
    await staging.close();
  }
}

async function importRows(ctx: BulkRunContext, job: JobRecord, staging: ImportStaging): Promise<'completed' | 'interrupted'> {
  let columns: ColumnIndex | undefined;
  let batch: Batch = { position: job.processedRows, size: 0, valid: [], errors: [] };
  // at most one batch is applied while the next is read and staged: memory stays at two batches
  let applying: Promise<void> = Promise.resolve();

  const flush = async (full: Batch) => {
    await staging.stage(full.valid);
    await applying;
    applying = applyBatch(ctx, job, staging.run, full).then(() => ctx.changed(job.id));
    applying.catch(() => undefined); // awaited (and thrown) by the next flush or at the end
  };

  try {
    for await (const { row, fields } of records(ctx.blobs.get(job.blobKey))) {
      if (row === 0) {
        columns = columnIndex(fields);
        continue;
      }
      if (row <= job.processedRows) continue; // committed by an earlier attempt
      const result = readProductRow(row, fields, columns!);
      if (result.ok) batch.valid.push({ row, product: result.product });
      else batch.errors.push(...result.errors);
      if (++batch.size < ctx.batchRows) continue;
      if (ctx.stopping()) {
        // the batch being applied commits; this one is read again by the next attempt
        await applying;
        return 'interrupted';
      }
      await flush(batch);
      batch = { position: batch.position + batch.size, size: 0, valid: [], errors: [] };
    }
  } catch (error) {
    await applying.catch(() => undefined);
    missingBlob(error);
  }
  if (!columns) throw new CsvFileError(`The file is empty: the first line must be the header ${PRODUCT_CSV_COLUMNS.join(',')}`);
  if (batch.size > 0) await flush(batch);
  await applying;
  return 'completed';
}

async function applyBatch(ctx: BulkRunContext, job: JobRecord, run: string, batch: Batch): Promise<void> {
  const staged: StagedBatch = { run, from: batch.position, to: batch.position + batch.size };
  const skus = [...new Set(batch.valid.flatMap((r) => (r.product.sku === null ? [] : [r.product.sku])))];
  for (let attempt = 1; ; attempt++) {
    try {
      await inTransaction(ctx.db, async (tx) => {
        const at = await lockJobPosition(tx, job.id);
        if (!at || at.state !== 'ACTIVE' || at.processedRows !== batch.position) throw new JobTakenOver(`job ${job.id} moved on without this worker`);
        const { staged: found, products } = await lockStagedProducts(tx, job.sellerId, staged, skus);
        if (found !== batch.valid.length) throw new JobTakenOver(`job ${job.id}: another attempt cleared this attempt's staged rows`);
        const plan = planImport(batch.valid, products, job.mode ?? 'UPSERT');
        const written = await upsertStagedProducts(tx, job.sellerId, staged, plan.writes, plan.steps, { reason: 'IMPORT', note: `import ${toGlobalId('Job', job.id)}` });
        if (written !== plan.writes.length) throw new ConcurrentCreate();
        const errors = [...batch.errors, ...plan.errors].sort((a, b) => a.row - b.row);
        const failed = new Set(errors.map((e) => e.row)).size;
        await saveImportBatch(tx, job.id, {
          processed: batch.size,
          succeeded: batch.size - failed,
          failed,
          errors: errors.slice(0, Math.max(0, MAX_KEPT_ROW_ERRORS - at.rowErrorCount)),
        });
      });
      return;
    } catch (error) {
      // a SKU created concurrently by the API: read the batch again and apply it as an update
      if ((error instanceof ConcurrentCreate || isUniqueViolation(error)) && attempt < 3) continue;
      throw error;
    }
  }
}
