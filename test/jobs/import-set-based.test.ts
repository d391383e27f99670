import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toProductJson } from '../../src/modules/catalog/product.model.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_BATCH_ROWS: '500', IMPORT_MAX_BYTES: String(64 * 1024 * 1024) }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

/** Imports the bytes as they are (no HTTP, no re-encoding) and waits for the job. */
async function importBytes(seller: string, bytes: Buffer, mode: 'UPSERT' | 'CREATE_ONLY' = 'UPSERT') {
  const job = await api.services.bulk.startImport(seller, mode, Readable.from([bytes]));
  const done = await finishedJob(api, seller, job.id, 120_000);
  return { job: done, rowErrors: await api.services.bulk.rowErrors(done, 1000) };
}

const row = (i: number) => `R-${i},Item ${i},,${i}.25,${i % 7},Bytes,3\n`;
const query = <T>(sql: string, ...values: unknown[]) => api.infra.db.$queryRawUnsafe<T[]>(sql, ...values);

describe('set-based import', () => {
  it('reports a NUL or a non-UTF-8 byte as the row error of its field and applies every other row of the batch', async () => {
    const seller = 'import-bytes';
    const parts: Buffer[] = [Buffer.from(`${CSV_HEADER}\n`)];
    for (let i = 1; i <= 1000; i++) {
      if (i === 601) parts.push(Buffer.from(`R-601,Item \u0000 601,,1.00,1,Bytes,3\n`));
      else if (i === 602) parts.push(Buffer.concat([Buffer.from('R-602,Item 602,caf'), Buffer.from([0xe9, 0xff]), Buffer.from(',1.00,1,Bytes,3\n')]));
      else parts.push(Buffer.from(row(i)));
    }
    const { job, rowErrors } = await importBytes(seller, Buffer.concat(parts));
    expect(job).toMatchObject({ state: 'COMPLETED', error: null, totalRows: 1000, processedRows: 1000, succeededRows: 998, failedRows: 2, attempts: 1 });
    expect(rowErrors).toEqual([
      { row: 601, field: 'name', message: 'Name must not contain NUL characters' },
      { row: 602, field: 'description', message: 'Description must be valid UTF-8 text' },
    ]);
    const [counts] = await query<{ products: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM products WHERE seller_id = $1) AS products, (SELECT count(*)::int FROM events WHERE seller_id = $1) AS events`,
      seller,
    );
    expect(counts).toEqual({ products: 998, events: 998 });
    // the rest of the NUL row's batch (rows 501-1000) is there
    const skus = await query<{ sku: string }>(`SELECT sku FROM products WHERE seller_id = $1 AND sku IN ('R-501', 'R-600', 'R-603', 'R-1000')`, seller);
    expect(skus.map((s) => s.sku).sort()).toEqual(['R-1000', 'R-501', 'R-600', 'R-603']);
    expect(await query(`SELECT 1 FROM import_staged_rows WHERE job_id = $1::uuid`, job.id)).toEqual([]);
  }, 180_000);

  it('applies a SKU repeated inside one batch row after row: one write, one event and movement per changing row', async () => {
    const seller = 'import-repeats';
    const csv = [
      CSV_HEADER,
      'A-1,Lamp,,10.00,5,Light,2', // 1: created
      'A-1,Desk lamp,,10.00,,Light,', // 2: renamed, stock and threshold kept
      'A-1,Desk lamp,,10.00,5,Light,2', // 3: no change
      'A-1,Desk lamp,,10.00,1,Light,', // 4: stock 5 -> 1, crosses the threshold
      'B-1,Bulb,,1.00,3,Light,', // 5
    ].join('\n');
    const { job, rowErrors } = await importBytes(seller, Buffer.from(`${csv}\n`));
    expect(job).toMatchObject({ state: 'COMPLETED', succeededRows: 5, failedRows: 0 });
    expect(rowErrors).toEqual([]);
    const lamp = await api.infra.db.product.findUnique({ where: { sellerId_sku: { sellerId: seller, sku: 'A-1' } } });
    expect(lamp).toMatchObject({ name: 'Desk lamp', quantity: 1, lowStockThreshold: 2, version: 3 });
    const events = await api.infra.db.event.findMany({ where: { sellerId: seller }, orderBy: { sequence: 'asc' } });
    expect(events.map((e) => [e.sequence, e.type, (e.payload as { changes?: unknown }).changes ?? null, (e.payload as { product?: { version: number } }).product?.version ?? null])).toEqual([
      [1, 'ProductCreated', null, 1],
      [2, 'ProductUpdated', { name: 'Desk lamp' }, 2],
      [3, 'ProductUpdated', { quantity: 1 }, 3],
      [4, 'LowStockWarning', null, null],
      [5, 'ProductCreated', null, 1],
    ]);
    const movements = await api.infra.db.stockMovement.findMany({ where: { sellerId: seller }, orderBy: { id: 'asc' } });
    expect(movements.map((m) => [m.productId, m.delta, m.quantityAfter])).toEqual([
      [lamp!.id, 5, 5],
      [lamp!.id, -4, 1],
      [events[4]!.productId, 3, 3],
    ]);
    // whole payloads: each row's product as that row left it (the written product's id and timestamps)
    const product = toProductJson(lamp!);
    const ids = { sellerId: seller, productId: lamp!.id };
    expect(events.slice(0, 4).map((e) => e.payload)).toEqual([
      { ...ids, product: { ...product, name: 'Lamp', quantity: 5, version: 1 } },
      { ...ids, changes: { name: 'Desk lamp' }, product: { ...product, quantity: 5, version: 2 } },
      { ...ids, changes: { quantity: 1 }, product },
      { ...ids, currentQuantity: 1, threshold: 2 },
    ]);
    // a product locked before the batch: its update's changes compare with the product as it was
    await importBytes(seller, Buffer.from(`${CSV_HEADER}\nA-1,Desk lamp,Brass,12.50,1,Light,\n`));
    const [update] = await api.infra.db.event.findMany({ where: { sellerId: seller }, orderBy: { sequence: 'desc' }, take: 1 });
    const updated = await api.infra.db.product.findUnique({ where: { id: lamp!.id } });
    expect(update!.payload).toEqual({ ...ids, changes: { description: 'Brass', price: '12.50' }, product: toProductJson(updated!) });

    // CREATE_ONLY: the second row of a SKU new in the file finds it created by the first
    const again = await importBytes(seller, Buffer.from(`${CSV_HEADER}\nC-1,Cable,,2.00,1,Light,\nC-1,Cable,,2.00,2,Light,\nA-1,Lamp,,1.00,1,Light,\n`), 'CREATE_ONLY');
    expect(again.rowErrors).toEqual([
      { row: 2, field: 'sku', message: 'A product with SKU C-1 already exists' },
      { row: 3, field: 'sku', message: 'A product with SKU A-1 already exists' },
    ]);
  }, 60_000);

  it('imports 200,000 rows: every product, movement and event is exactly what its row says', async () => {
    const seller = 'import-200k';
    const rows = 200_000;
    async function* csv(): AsyncGenerator<string> {
      yield `${CSV_HEADER}\n`;
      for (let start = 1; start <= rows; start += 5000) {
        let chunk = '';
        for (let i = start; i < start + 5000; i++) chunk += `S-${i},"Item ${i}, large",Row ${i},${i % 1000}.${String(i % 100).padStart(2, '0')},${i % 50},C${i % 9},${i % 4}\n`;
        yield chunk;
      }
    }
    const upload = await uploadCsv(api, seller, csv());
    expect(upload.status).toBe(202);
    const job = await finishedJob(api, seller, upload.json['id'] as string, 600_000);
    expect(job).toMatchObject({ state: 'COMPLETED', totalRows: rows, processedRows: rows, succeededRows: rows, failedRows: 0 });

    // each row's product, from its number in the SKU
    const [products] = await query<{ n: number; wrong: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT (
          name = 'Item ' || i || ', large' AND description = 'Row ' || i
          AND price = ((i % 1000)::text || '.' || lpad((i % 100)::text, 2, '0'))::numeric
          AND quantity = i % 50 AND category = 'C' || (i % 9) AND low_stock_threshold = i % 4 AND version = 1))::int AS wrong
       FROM (SELECT *, substr(sku, 3)::int AS i FROM products WHERE seller_id = $1) p`,
      seller,
    );
    expect(products).toEqual({ n: rows, wrong: 0 });
    // one IMPORT movement per product with stock, for exactly that stock
    const [movements] = await query<{ missing: number; extra: number }>(
      `SELECT
         (SELECT count(*)::int FROM products p WHERE p.seller_id = $1 AND p.quantity > 0 AND NOT EXISTS (
            SELECT 1 FROM stock_movements m WHERE m.product_id = p.id AND m.reason = 'IMPORT' AND m.delta = p.quantity AND m.quantity_after = p.quantity)) AS missing,
         (SELECT count(*)::int FROM stock_movements m WHERE m.seller_id = $1) - (SELECT count(*)::int FROM products WHERE seller_id = $1 AND quantity > 0) AS extra`,
      seller,
    );
    expect(movements).toEqual({ missing: 0, extra: 0 });
    // one ProductCreated per product carrying that product, sequences 1..rows in row order
    const [events] = await query<{ n: number; wrong: number; first: number; last: number; unordered: number }>(
      `SELECT count(*)::int AS n, min(e.sequence) AS first, max(e.sequence) AS last,
         count(*) FILTER (WHERE e.type <> 'ProductCreated' OR p.id IS NULL OR (e.payload->'product'->>'sku') <> p.sku
           OR (e.payload->'product'->>'quantity')::int <> p.quantity OR (e.payload->'product'->>'price') <> p.price::text)::int AS wrong,
         count(*) FILTER (WHERE e.sequence <> substr(p.sku, 3)::int)::int AS unordered
       FROM events e LEFT JOIN products p ON p.id = e.product_id AND p.seller_id = e.seller_id
       WHERE e.seller_id = $1`,
      seller,
    );
    expect(events).toEqual({ n: rows, wrong: 0, first: 1, last: rows, unordered: 0 });
  }, 900_000);
});
