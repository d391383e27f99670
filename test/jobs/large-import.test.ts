import { readdir } from 'node:fs/promises';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';

const MAX_BYTES = 8 * 1024 * 1024;

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_MAX_BYTES: String(MAX_BYTES) }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

/** Rows made while the upload is sent, a thousand at a time; every 10,000th row has a bad price. */
async function* generatedCsv(rows: number): AsyncGenerator<string> {
  yield `${CSV_HEADER}\r\n`;
  for (let start = 1; start <= rows; start += 1000) {
    let chunk = '';
    for (let i = start; i < start + 1000 && i <= rows; i++) {
      const price = i % 10_000 === 0 ? 'n/a' : `${Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`;
      chunk += `BULK-${i},"Product ${i}, bulk",Generated row ${i},${price},${i % 50},Category ${i % 7},3\r\n`;
    }
    yield chunk;
  }
}

describe('large CSV import over HTTP', () => {
  it('imports 50,000 rows streamed in the request body with exact counts', async () => {
    const seller = 'bulk-50k';
    const upload = await uploadCsv(api, seller, generatedCsv(50_000), { mode: 'CREATE_ONLY' });
    expect(upload.status).toBe(202);
    expect(upload.headers.get('location')).toBe(`/jobs/${upload.json['id']}`);
    expect(upload.json).toMatchObject({ kind: 'PRODUCT_IMPORT', state: 'QUEUED', mode: 'CREATE_ONLY', processedRows: 0 });

    const job = await finishedJob(api, seller, upload.json['id'] as string, 600_000); // speed is measured in bench/, not here
    expect(job).toMatchObject({ state: 'COMPLETED', totalRows: 50_000, processedRows: 50_000, succeededRows: 49_995, failedRows: 5, rowErrorCount: 5 });
    expect(await api.services.bulk.rowErrors(job, 10)).toEqual(
      [10_000, 20_000, 30_000, 40_000, 50_000].map((row) => ({ row, field: 'price', message: 'Price must be a decimal number such as 12.50' })),
    );

    const db = api.infra.db;
    expect(await db.product.count({ where: { sellerId: seller } })).toBe(49_995);
    expect(await db.event.count({ where: { sellerId: seller, type: 'ProductCreated' } })).toBe(49_995);
    const stock = await db.product.aggregate({ where: { sellerId: seller }, _sum: { quantity: true } });
    const imported = await db.stockMovement.aggregate({ where: { sellerId: seller, reason: 'IMPORT' }, _sum: { delta: true }, _count: true });
    expect(imported._sum.delta).toBe(stock._sum.quantity);
    expect(imported._count).toBe(await db.product.count({ where: { sellerId: seller, quantity: { gt: 0 } } }));
    const sample = await db.product.findUnique({ where: { sellerId_sku: { sellerId: seller, sku: 'BULK-12345' } } });
    expect(sample).toMatchObject({ name: 'Product 12345, bulk', description: 'Generated row 12345', category: 'Category 4', quantity: 45, lowStockThreshold: 3 });
    expect(sample!.price.toFixed(2)).toBe('123.45');

    // the events carry consecutive sequences
    const last = await db.seller.findUnique({ where: { id: seller } });
    expect(last!.eventSequence).toBe(49_995);
    // the uploaded file is removed once imported
    expect(await readdir(`${blobs.dir}/imports`)).toEqual([]);
  }, 900_000);

  it('answers 413 to a file over IMPORT_MAX_BYTES, declared or streamed, and keeps nothing', async () => {
    const seller = 'bulk-too-large';
    const declared = await uploadCsv(api, seller, 'x'.repeat(MAX_BYTES + 1));
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });

    // chunked, so the size shows only while reading
    const token = await api.token(seller);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${api.url}/imports/products`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // the server answers before it has read everything and closes; a write may fail after that
      req.on('error', (error) => setTimeout(() => reject(error), 500));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const write = () => {
        while (sent <= MAX_BYTES + chunk.length * 4) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
    expect(await api.infra.db.job.count({ where: { sellerId: seller } })).toBe(0);
    expect((await readdir(`${blobs.dir}/imports`)).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('refuses uploads without a valid token, with another content type or mode', async () => {
    expect((await uploadCsv(api, null, `${CSV_HEADER}\n`)).status).toBe(401);
    expect((await uploadCsv(api, null, `${CSV_HEADER}\n`, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect((await uploadCsv(api, 'bulk-refused', `${CSV_HEADER}\n`, { headers: { 'content-type': 'application/json' } })).status).toBe(415);
    const badMode = await uploadCsv(api, 'bulk-refused', `${CSV_HEADER}\n`, { mode: 'MERGE' });
    expect(badMode.status).toBe(400);
    expect(badMode.json).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(await api.infra.db.job.count({ where: { sellerId: 'bulk-refused' } })).toBe(0);
  });
});
