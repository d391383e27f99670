// Streams a seller's products page by page (keyset cursor) through the CSV writer into the blob store.
import { Decimal } from 'decimal.js';
import { Readable } from 'node:stream';
import { countProducts, listProducts, type ProductPosition, type ProductQuery } from '../catalog/product.repository.js';
import type { ExportFilter, JobRecord } from './job.model.js';
import { saveExportProgress, setTotalRows } from './jobs.repository.js';
import { productCsvWriter, toCsvRecord } from './product-csv.js';
import type { BulkRunContext } from './product-import.js';

const PAGE = 1000;

class ExportInterrupted extends Error {}

export function toProductQuery(filter: ExportFilter | null): ProductQuery {
  if (!filter) return {};
  return {
    search: filter.search || undefined,
    category: filter.category,
    minPrice: filter.minPrice === undefined ? undefined : new Decimal(filter.minPrice),
    maxPrice: filter.maxPrice === undefined ? undefined : new Decimal(filter.maxPrice),
    inStock: filter.inStock,
    lowStock: filter.lowStock,
  };
}

/** Writes the whole CSV again on every attempt; the blob only appears once it is complete. */
export async function runProductExport(ctx: BulkRunContext, job: JobRecord): Promise<{ outcome: 'completed' | 'interrupted'; rows: number }> {
  const query = toProductQuery(job.filter);
  const total = await countProducts(ctx.db, job.sellerId, query);
  await setTotalRows(ctx.db, job.id, total);
  await ctx.changed(job.id);

  let rows = 0;
  async function* pages() {
    let from: ProductPosition | undefined;
    for (;;) {
      const page = await listProducts(ctx.db, job.sellerId, query, { field: 'created_at', descending: false }, { from, forward: true, limit: PAGE });
      for (const product of page) yield toCsvRecord(product);
      rows += page.length;
      if (page.length < PAGE) return;
      const last = page.at(-1)!;
      from = { value: last.createdAt, id: last.id };
      await saveExportProgress(ctx.db, job.id, rows);
      await ctx.changed(job.id);
      if (ctx.stopping()) throw new ExportInterrupted();
    }
  }

  const source = Readable.from(pages());
  const csv = productCsvWriter();
  source.on('error', (error) => csv.destroy(error));
  source.pipe(csv);
  try {
    await ctx.blobs.put(job.blobKey, csv);
  } catch (error) {
    if (error instanceof ExportInterrupted) return { outcome: 'interrupted', rows };
    throw error;
  }
  return { outcome: 'completed', rows };
}
