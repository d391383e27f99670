// Applies an uploaded sales history CSV in batches, read once in a stream. Each batch resolves
// its SKUs and inserts its sales set-based in one transaction that also advances the job's
// committed position, so a retried import skips exactly the rows already applied.
import { inTransaction } from '../../infra/prisma.js';
import { MAX_KEPT_ROW_ERRORS, type JobRecord, type RowErrorRecord } from './job.model.js';
import { lockJobPosition, saveImportBatch, setTotalRows } from './jobs.repository.js';
import { CsvFileError } from './product-csv.js';
import { JobTakenOver, missingBlob, records, type BulkRunContext } from './product-import.js';
import { readSaleRow, SALES_CSV_COLUMNS, salesColumnIndex, type SaleRow, type SalesColumnIndex } from './sales-csv.js';
import { insertImportedSales, productIdsBySku } from './sales-history.repository.js';

interface SalesBatch {
  position: number;
  size: number;
  valid: { row: number; sale: SaleRow }[];
  errors: RowErrorRecord[];
}

async function countRows(ctx: BulkRunContext, job: JobRecord): Promise<number> {
  let rows = 0;
  try {
    for await (const { row, fields } of records(ctx.blobs.get(job.blobKey), true)) {
      if (row === 0) salesColumnIndex(fields);
      else rows = row;
    }
  } catch (error) {
    missingBlob(error);
  }
  return rows;
}

export async function runSalesImport(ctx: BulkRunContext, job: JobRecord, now = new Date()): Promise<'completed' | 'interrupted'> {
  if (job.totalRows === null) {
    await setTotalRows(ctx.db, job.id, await countRows(ctx, job));
    await ctx.changed(job.id);
  }
  let columns: SalesColumnIndex | undefined;
  let batch: SalesBatch = { position: job.processedRows, size: 0, valid: [], errors: [] };
  try {
    for await (const { row, fields } of records(ctx.blobs.get(job.blobKey))) {
      if (row === 0) {
        columns = salesColumnIndex(fields);
        continue;
      }
      if (row <= job.processedRows) continue; // committed by an earlier attempt
      const result = readSaleRow(row, fields, columns!, now);
      if (result.ok) batch.valid.push({ row, sale: result.sale });
      else batch.errors.push(...result.errors);
      if (++batch.size < ctx.batchRows) continue;
      if (ctx.stopping()) return 'interrupted';
      await applySales(ctx, job, batch);
      batch = { position: batch.position + batch.size, size: 0, valid: [], errors: [] };
    }
  } catch (error) {
    missingBlob(error);
  }
  if (!columns) throw new CsvFileError(`The file is empty: the first line must be the header ${SALES_CSV_COLUMNS.join(',')}`);
  if (batch.size > 0) await applySales(ctx, job, batch);
  return 'completed';
}

async function applySales(ctx: BulkRunContext, job: JobRecord, batch: SalesBatch): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    const at = await lockJobPosition(tx, job.id);
    if (!at || at.state !== 'ACTIVE' || at.processedRows !== batch.position) throw new JobTakenOver(`job ${job.id} moved on without this worker`);
    const ids = await productIdsBySku(tx, job.sellerId, [...new Set(batch.valid.map((v) => v.sale.sku))]);
    const errors = [...batch.errors];
    const sales: { row: number; productId: number; quantity: number; soldAt: Date }[] = [];
    for (const { row, sale } of batch.valid) {
      const productId = ids.get(sale.sku);
      if (productId === undefined) errors.push({ row, field: 'sku', message: `No product of yours has the SKU ${JSON.stringify(sale.sku)}` });
      else sales.push({ row, productId, quantity: sale.quantity, soldAt: sale.soldAt });
    }
    await insertImportedSales(tx, job.sellerId, job.id, sales);
    errors.sort((a, b) => a.row - b.row);
    const failed = new Set(errors.map((e) => e.row)).size;
    await saveImportBatch(tx, job.id, {
      processed: batch.size,
      succeeded: batch.size - failed,
      failed,
      errors: errors.slice(0, Math.max(0, MAX_KEPT_ROW_ERRORS - at.rowErrorCount)),
    });
  });
  await ctx.changed(job.id);
}
