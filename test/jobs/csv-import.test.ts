import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';
import { keyOf } from '../support/ids.js';

const ImportProducts = graphql(`
  mutation ImportProducts($csv: String!, $mode: ImportMode) {
    importProducts(csv: $csv, mode: $mode) {
      job { id kind state mode processedRows totalRows progress }
      userErrors { field message code }
    }
  }
`);
const ImportedJob = graphql(`
  query ImportedJob($id: ID!) {
    job(id: $id) {
      id kind state mode progress processedRows totalRows succeededRows failedRows error downloadUrl attempts createdAt finishedAt
      rowErrors(first: 1000) { row field message }
    }
  }
`);
const ImportCreate = graphql(`
  mutation ImportCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);
const ImportExport = graphql(`
  mutation ImportExport { exportProducts { job { id kind } userErrors { message } } }
`);
const ImportJobs = graphql(`
  query ImportJobs($first: Int, $after: String) { jobs(first: $first, after: $after) { nodes { id kind } pageInfo { hasNextPage endCursor } } }
`);

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_BATCH_ROWS: '7' }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

async function importCsv(seller: string, csv: string, mode?: 'UPSERT' | 'CREATE_ONLY') {
  const res = await api.gql(ImportProducts, { csv, mode }, { seller });
  expect(res.errors).toBeUndefined();
  expect(res.data!.importProducts.userErrors).toEqual([]);
  const job = res.data!.importProducts.job!;
  expect(job).toMatchObject({ kind: 'PRODUCT_IMPORT', state: 'QUEUED', processedRows: 0, progress: 0 });
  await finishedJob(api, seller, job.id);
  return (await api.gql(ImportedJob, { id: job.id }, { seller })).data!.job!;
}

const products = (seller: string) =>
  api.infra.db.product.findMany({ where: { sellerId: seller }, orderBy: { id: 'asc' } });
const events = (seller: string) => api.infra.db.event.findMany({ where: { sellerId: seller }, orderBy: { sequence: 'asc' } });
const movements = (seller: string) => api.infra.db.stockMovement.findMany({ where: { sellerId: seller }, orderBy: { id: 'asc' } });

const line = (...fields: string[]) => fields.join(',');

describe('CSV import', () => {
  it('reports exactly the bad rows (every rule broken once) and writes exactly the good ones', async () => {
    const seller = 'import-rules';
    const rows = [
      line('GOOD-1', 'Blue mug', '"A mug, blue"', '12.50', '40', 'Kitchen', '5'), // 1
      line('bad sku!', 'Bad SKU', '', '1.00', '1', 'Misc', ''), // 2
      line('NAME-BLANK', '"   "', '', '1.00', '1', 'Misc', ''), // 3
      line('NAME-LONG', 'n'.repeat(256), '', '1.00', '1', 'Misc', ''), // 4
      line('DESC-LONG', 'Long text', 'd'.repeat(10_001), '1.00', '1', 'Misc', ''), // 5
      line('PRICE-EMPTY', 'No price', '', '', '1', 'Misc', ''), // 6
      line('PRICE-TEXT', 'Text price', '', 'cheap', '1', 'Misc', ''), // 7
      line('PRICE-NEG', 'Negative price', '', '-1.00', '1', 'Misc', ''), // 8
      line('PRICE-DP', 'Three decimals', '', '1.005', '1', 'Misc', ''), // 9
      line('PRICE-MAX', 'Too dear', '', '1000000000000.00', '1', 'Misc', ''), // 10
      line('CAT-BLANK', 'No category', '', '1.00', '1', '', ''), // 11
      line('CAT-LONG', 'Long category', '', '1.00', '1', 'c'.repeat(101), ''), // 12
      line('QTY-FRACTION', 'Half', '', '1.00', '1.5', 'Misc', ''), // 13
      line('QTY-NEG', 'Negative stock', '', '1.00', '-3', 'Misc', ''), // 14
      line('LOW-TEXT', 'Threshold text', '', '1.00', '1', 'Misc', 'x'), // 15
      line('LOW-NEG', 'Threshold negative', '', '1.00', '1', 'Misc', '-1'), // 16
      line('SHORT-ROW', 'Too few fields', '1.00'), // 17
      line('', 'Without SKU', '', '0.99', '', 'Misc', ''), // 18: defaults quantity 0, threshold 5
      line('GOOD-2', '"Quoted ""name"""', '"two\nlines"', '7', '3', 'Kitchen', '2'), // 19
      line('GOOD-1', 'Blue mug', '"A mug, blue"', '12.50', '41', 'Kitchen', '5'), // 20: same SKU again updates it
    ];
    const job = await importCsv(seller, [CSV_HEADER, ...rows].join('\n') + '\n');

    expect(job).toMatchObject({ state: 'COMPLETED', progress: 1, totalRows: 20, processedRows: 20, succeededRows: 4, failedRows: 16, error: null });
    expect(job.rowErrors).toEqual([
      { row: 2, field: 'sku', message: 'SKU must be 1-100 characters of letters, digits, ".", "_" or "-"' },
      { row: 3, field: 'name', message: 'Name must not be blank' },
      { row: 4, field: 'name', message: 'Name must be at most 255 characters' },
      { row: 5, field: 'description', message: 'Description must be at most 10000 characters' },
      { row: 6, field: 'price', message: 'Price is required' },
      { row: 7, field: 'price', message: 'Price must be a decimal number such as 12.50' },
      { row: 8, field: 'price', message: 'Price must be zero or more' },
      { row: 9, field: 'price', message: 'Price must have at most 2 decimal places' },
      { row: 10, field: 'price', message: 'Price must be at most 999999999999.99' },
      { row: 11, field: 'category', message: 'Category must not be blank' },
      { row: 12, field: 'category', message: 'Category must be at most 100 characters' },
      { row: 13, field: 'quantity', message: 'Quantity must be a whole number' },
      { row: 14, field: 'quantity', message: 'Quantity must be zero or more' },
      { row: 15, field: 'lowStockThreshold', message: 'Low-stock threshold must be a whole number' },
      { row: 16, field: 'lowStockThreshold', message: 'Low-stock threshold must be zero or more' },
      { row: 17, field: null, message: 'Expected 7 fields, found 3' },
    ]);

    const written = await products(seller);
    expect(written.map((p) => ({ sku: p.sku, name: p.name, description: p.description, price: p.price.toFixed(2), quantity: p.quantity, category: p.category, low: p.lowStockThreshold }))).toEqual([
      { sku: 'GOOD-1', name: 'Blue mug', description: 'A mug, blue', price: '12.50', quantity: 41, category: 'Kitchen', low: 5 },
      { sku: null, name: 'Without SKU', description: null, price: '0.99', quantity: 0, category: 'Misc', low: 5 },
      { sku: 'GOOD-2', name: 'Quoted "name"', description: 'two\nlines', price: '7.00', quantity: 3, category: 'Kitchen', low: 2 },
    ]);
    const [mug, , good2] = written;
    expect((await events(seller)).map((e) => [e.sequence, e.type, e.productId])).toEqual([
      [1, 'ProductCreated', mug!.id],
      [2, 'ProductCreated', written[1]!.id],
      [3, 'ProductCreated', good2!.id],
      [4, 'ProductUpdated', mug!.id],
    ]);
    expect((await movements(seller)).map((m) => [m.productId, m.reason, m.delta, m.quantityAfter])).toEqual([
      [mug!.id, 'IMPORT', 40, 40],
      [good2!.id, 'IMPORT', 3, 3],
      [mug!.id, 'IMPORT', 1, 41],
    ]);
  });

  it('updates existing SKUs in UPSERT mode and reports them as row errors in CREATE_ONLY mode', async () => {
    const seller = 'import-modes';
    const created = await api.gql(ImportCreate, { input: { sku: 'U-1', name: 'Kettle', price: '30.00', category: 'Kitchen', quantity: 10 } }, { seller });
    const kettleId = keyOf(created.data!.createProduct.product!.id);

    const createOnly = await importCsv(seller, `${CSV_HEADER}\nU-1,Kettle,,31.00,10,Kitchen,\nU-2,Toaster,,45.00,3,Kitchen,\n`, 'CREATE_ONLY');
    expect(createOnly).toMatchObject({ mode: 'CREATE_ONLY', succeededRows: 1, failedRows: 1 });
    expect(createOnly.rowErrors).toEqual([{ row: 1, field: 'sku', message: 'A product with SKU U-1 already exists' }]);
    expect((await products(seller)).map((p) => [p.sku, p.price.toFixed(2), p.quantity])).toEqual([
      ['U-1', '30.00', 10],
      ['U-2', '45.00', 3],
    ]);

    // an empty quantity keeps the stock; an unchanged row changes nothing
    const upsert = await importCsv(seller, `${CSV_HEADER}\nU-1,Kettle,,31.00,,Kitchen,\nU-2,Toaster,,45.00,7,Kitchen,\nU-2,Toaster,,45.00,7,Kitchen,\n`, 'UPSERT');
    expect(upsert).toMatchObject({ mode: 'UPSERT', state: 'COMPLETED', succeededRows: 3, failedRows: 0, rowErrors: [] });
    const after = await products(seller);
    expect(after.map((p) => [p.sku, p.price.toFixed(2), p.quantity, p.version])).toEqual([
      ['U-1', '31.00', 10, 2],
      ['U-2', '45.00', 7, 2],
    ]);
    const updates = (await events(seller)).filter((e) => e.type === 'ProductUpdated');
    expect(updates.map((e) => [e.productId, (e.payload as { changes: unknown }).changes])).toEqual([
      [kettleId, { price: '31.00' }],
      [after[1]!.id, { quantity: 7 }],
    ]);
    const imported = (await movements(seller)).filter((m) => m.reason === 'IMPORT');
    expect(imported.map((m) => [m.productId, m.delta, m.quantityAfter])).toEqual([
      [after[1]!.id, 3, 3],
      [after[1]!.id, 4, 7],
    ]);
  });

  it('reads a BOM, CRLF line ends, quoted fields, UTF-8 and the columns in any order', async () => {
    const seller = 'import-format';
    const csv =
      '\uFEFFcategory,lowStockThreshold,quantity,price,description,name,sku\r\n' +
      'Café,1,5,3.20,"Crème, brûlée ""deluxe""",Crème brûlée,CB-1\r\n' +
      'Café,,0,1.00,"",Empty description,CB-2\r\n' +
      '\r\n' +
      'Café,,0,1.00,,No description,CB-3\r\n';
    const job = await importCsv(seller, csv);
    expect(job).toMatchObject({ state: 'COMPLETED', totalRows: 3, succeededRows: 3, failedRows: 0 });
    expect((await products(seller)).map((p) => [p.sku, p.name, p.description, p.category, p.price.toFixed(2), p.quantity, p.lowStockThreshold])).toEqual([
      ['CB-1', 'Crème brûlée', 'Crème, brûlée "deluxe"', 'Café', '3.20', 5, 1],
      ['CB-2', 'Empty description', '', 'Café', '1.00', 0, 5],
      ['CB-3', 'No description', null, 'Café', '1.00', 0, 5],
    ]);
  });

  it('fails the job with a clear message when columns are unknown or missing, and writes nothing', async () => {
    const seller = 'import-header';
    const job = await importCsv(seller, 'sku,name,colour,price,quantity,lowStockThreshold,description\nA,B,red,1.00,1,1,\n');
    expect(job.state).toBe('FAILED');
    expect(job.error).toBe(
      'The header must be exactly the columns sku,name,description,price,quantity,category,lowStockThreshold (in any order): unknown column "colour"; missing column category',
    );
    expect(job.finishedAt).not.toBeNull();
    expect(await products(seller)).toEqual([]);

    const malformed = await importCsv(seller, `${CSV_HEADER}\nA,"unclosed,,1.00,1,C,\n`);
    expect(malformed.state).toBe('FAILED');
    expect(malformed.error).toMatch(/^The CSV is malformed: /);
    expect(await products(seller)).toEqual([]);
    expect(await readdir(path.join(blobs.dir, 'imports'))).toEqual([]); // failed uploads are removed too
  });

  it('refuses CSV text over 1 MB (the /graphql body limit) and starts nothing', async () => {
    const seller = 'import-too-big';
    const csv = `${CSV_HEADER}\n` + `A,${'x'.repeat(200)},,1.00,1,C,\n`.repeat(5300);
    const res = await api.gql(ImportProducts, { csv }, { seller });
    expect(res.status).toBe(413);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST' });
    const direct = await api.services.bulk.importCsvText(seller, csv, 'UPSERT');
    expect(direct.userErrors).toEqual([
      expect.objectContaining({ field: ['csv'], code: 'INVALID', message: 'csv is limited to 1 MB here; stream larger files to POST /imports/products' }),
    ]);
    expect((await api.gql(ImportJobs, {}, { seller })).data!.jobs.nodes).toEqual([]);
  });

  it("lists the seller's jobs newest first and never another seller's", async () => {
    const seller = 'import-list';
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api.gql(ImportProducts, { csv: `${CSV_HEADER}\n` }, { seller })).data!.importProducts.job!.id);
    const first = await api.gql(ImportJobs, { first: 2 }, { seller });
    expect(first.data!.jobs.nodes.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first.data!.jobs.pageInfo.hasNextPage).toBe(true);
    const rest = await api.gql(ImportJobs, { first: 2, after: first.data!.jobs.pageInfo.endCursor }, { seller });
    expect(rest.data!.jobs.nodes.map((j) => j.id)).toEqual([ids[0]]);

    expect((await api.gql(ImportedJob, { id: ids[0]! }, { seller: 'import-list-other' })).data!.job).toBeNull();
    expect((await api.gql(ImportJobs, {}, { seller: 'import-list-other' })).data!.jobs.nodes).toEqual([]);
  });

  it('allows 5 imports or exports a minute per seller, then answers RATE_LIMITED with the time to wait', async () => {
    const seller = 'import-limit';
    for (let i = 0; i < 3; i++) expect((await api.gql(ImportProducts, { csv: `${CSV_HEADER}\n` }, { seller })).data!.importProducts.job).not.toBeNull();
    for (let i = 0; i < 2; i++) expect((await api.gql(ImportExport, {}, { seller })).data!.exportProducts.job).not.toBeNull();

    const sixth = await api.gql(ImportProducts, { csv: `${CSV_HEADER}\n` }, { seller });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(sixth.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'BULK_JOBS' });
    const retryAfterMs = sixth.errors![0]!.extensions!['retryAfterMs'] as number;
    expect(retryAfterMs).toBeGreaterThan(50_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await api.gql(ImportExport, {}, { seller })).errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');

    const upload = await uploadCsv(api, seller, `${CSV_HEADER}\n`);
    expect(upload.status).toBe(429);
    expect(Number(upload.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(upload.json).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });

    // the limit is per seller
    expect((await api.gql(ImportProducts, { csv: `${CSV_HEADER}\n` }, { seller: 'import-limit-other' })).data!.importProducts.job).not.toBeNull();
  });
});
