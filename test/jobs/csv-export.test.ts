import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';
import { toGlobalId } from '../../src/graphql/global-id.js';

const ExportCreate = graphql(`
  mutation ExportCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);
const ExportProducts = graphql(`
  mutation ExportProducts($filter: ProductFilter) {
    exportProducts(filter: $filter) { job { id kind state downloadUrl } userErrors { message } }
  }
`);
const ExportJob = graphql(`
  query ExportJob($id: ID!) { job(id: $id) { id state downloadUrl totalRows processedRows succeededRows progress finishedAt } }
`);

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

async function exportFor(seller: string, filter?: Record<string, unknown>) {
  const started = await api.gql(ExportProducts, { filter }, { seller });
  expect(started.data!.exportProducts.userErrors).toEqual([]);
  const id = started.data!.exportProducts.job!.id;
  await finishedJob(api, seller, id);
  return (await api.gql(ExportJob, { id }, { seller })).data!.job!;
}

async function download(path: string, seller: string | null) {
  const headers: Record<string, string> = seller ? { authorization: `Bearer ${await api.token(seller)}` } : {};
  const res = await fetch(`${api.url}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

const catalog = (seller: string) =>
  api.infra.db.product
    .findMany({ where: { sellerId: seller }, orderBy: { id: 'asc' } })
    .then((rows) => rows.map((p) => ({ sku: p.sku, name: p.name, description: p.description, price: p.price.toFixed(2), quantity: p.quantity, category: p.category, lowStockThreshold: p.lowStockThreshold })));

describe('CSV export', () => {
  it('exports every product so that importing the file into another seller reproduces them exactly', async () => {
    const source = 'export-source';
    const inputs = [
      { sku: 'MUG-1', name: 'Mug, "large"', description: 'Line one\nline two', price: '12.50', category: 'Kitchen', quantity: 40, lowStockThreshold: 5 },
      { sku: 'EMPTY-DESC', name: 'Empty description', description: '', price: '0.00', category: 'Misc', quantity: 0, lowStockThreshold: 0 },
      { sku: null, name: 'No SKU, no description', price: '999999999999.99', category: 'Misc', quantity: 1 },
      { sku: 'UNI-1', name: 'Ünïcødé ☕ — 日本', description: '  padded  ', price: '3.10', category: 'Café', quantity: 7, lowStockThreshold: 9 },
      { sku: 'FORMULA', name: '=1+2', description: '-minus', price: '1', category: '@home', quantity: 2 },
    ];
    for (const input of inputs) expect((await api.gql(ExportCreate, { input }, { seller: source })).data!.createProduct.userErrors).toEqual([]);

    const job = await exportFor(source);
    expect(job).toMatchObject({ state: 'COMPLETED', downloadUrl: `/exports/${job.id}`, totalRows: 5, processedRows: 5, succeededRows: 5, progress: 1 });
    const file = await download(job.downloadUrl!, source);
    expect(file.status).toBe(200);
    expect(file.type).toBe('text/csv; charset=utf-8');
    expect(file.body.split('\n')[0]).toBe(CSV_HEADER);
    expect(file.body).toContain('EMPTY-DESC,Empty description,"",0.00,0,Misc,0\n');
    expect(file.body).toContain(',"No SKU, no description",,999999999999.99,1,Misc,5\n');

    const target = 'export-target';
    const upload = await uploadCsv(api, target, file.body);
    expect(upload.status).toBe(202);
    const imported = await finishedJob(api, target, upload.json['id'] as string);
    expect(imported).toMatchObject({ state: 'COMPLETED', succeededRows: 5, failedRows: 0 });
    expect(await catalog(target)).toEqual(await catalog(source));
    expect((await catalog(target))[1]!.description).toBe('');
    expect((await catalog(target))[2]!.description).toBeNull();
  });

  it('exports only the products matching the filter', async () => {
    const seller = 'export-filter';
    for (const [name, category, price] of [['A', 'Tea', '2.00'], ['B', 'Coffee', '3.00'], ['C', 'Tea', '9.00']] as const) {
      await api.gql(ExportCreate, { input: { name, category, price } }, { seller });
    }
    const job = await exportFor(seller, { category: 'Tea', maxPrice: '5' });
    const file = await download(job.downloadUrl!, seller);
    expect(file.body).toBe(`${CSV_HEADER}\n,A,,2.00,0,Tea,5\n`);
  });

  it("refuses the download to another seller (404) and without a token (401), like any other seller's object", async () => {
    const owner = 'export-owner';
    await api.gql(ExportCreate, { input: { name: 'Secret', category: 'Private', price: '1.00' } }, { seller: owner });
    const job = await exportFor(owner);
    const other = await download(job.downloadUrl!, 'export-intruder');
    expect(other.status).toBe(404);
    expect(other.body).not.toContain('Secret');
    expect(JSON.parse(other.body)).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect((await download(job.downloadUrl!, null)).status).toBe(401);
    expect((await download(`/exports/${toGlobalId('Job', '00000000-0000-4000-8000-000000000000')}`, owner)).status).toBe(404);
    const malformed = await download('/exports/not-a-job', owner);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ errors: [{ message: expect.stringMatching(/^id must be a Job id such as "/), extensions: { code: 'BAD_USER_INPUT' } }] });
    expect((await api.gql(ExportJob, { id: job.id }, { seller: 'export-intruder' })).data!.job).toBeNull();
    expect((await download(job.downloadUrl!, owner)).status).toBe(200);
  });
});
