import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';
import { eventually } from '../support/subscriptions.js';
import { uniqueId } from '../support/wait.js';

const SalesCreate = graphql(`
  mutation SalesCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);
const SalesProduct = graphql(`
  query SalesProduct($id: ID!) {
    product(id: $id) { quantity stockMovements(first: 50) { nodes { reason delta } } stockForecast { method dailyDemand historyDays computedAt } }
  }
`);
const SalesJob = graphql(`
  query SalesJob($id: ID!) { job(id: $id) { kind state totalRows processedRows succeededRows failedRows rowErrors { row field message } } }
`);

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, INTELLIGENCE_RECOMPUTE_DELAY_MS: '200', IMPORT_BATCH_ROWS: '3' }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('POST /imports/sales', () => {
  it('records past sales as history without touching stock; bad rows are row errors', async () => {
    const seller = uniqueId('intel-sales');
    const other = uniqueId('intel-sales-other');
    const res = await api.gql(SalesCreate, { input: { name: 'Candle', sku: 'CANDLE-1', category: 'Home', price: '4.00', quantity: 50 } }, { seller });
    const id = res.data!.createProduct.product!.id;
    // the same SKU at another seller is not this seller's product
    await api.gql(SalesCreate, { input: { name: 'Foreign', sku: 'FOREIGN-1', category: 'Home', price: '4.00', quantity: 5 } }, { seller: other });

    const csv = [
      'sku,quantity,soldAt',
      `CANDLE-1,3,${daysAgo(20)}`,
      `CANDLE-1,2,${daysAgo(10)}T15:30:00Z`,
      `NO-SUCH,1,${daysAgo(5)}`,
      `CANDLE-1,1,31/12/2025`,
      `CANDLE-1,-4,${daysAgo(3)}`,
      `FOREIGN-1,1,${daysAgo(2)}`,
      `CANDLE-1,1,2999-01-01`,
      `CANDLE-1,4,${daysAgo(1)}`,
    ].join('\n');
    const upload = await uploadCsv(api, seller, csv, { path: '/imports/sales' });
    expect(upload.status).toBe(202);
    const job = await finishedJob(api, seller, upload.json.id as string);
    expect(job.state).toBe('COMPLETED');

    const read = (await api.gql(SalesJob, { id: upload.json.id as string }, { seller })).data!.job!;
    expect(read).toMatchObject({ kind: 'SALES_IMPORT', totalRows: 8, processedRows: 8, succeededRows: 3, failedRows: 5 });
    expect(read.rowErrors).toEqual([
      { row: 3, field: 'sku', message: 'No product of yours has the SKU "NO-SUCH"' },
      { row: 4, field: 'soldAt', message: 'soldAt must be an ISO 8601 date (2026-03-31) or date and time with offset (2026-03-31T14:00:00Z)' },
      { row: 5, field: 'quantity', message: 'quantity must be at least 1 (a sale, not a return)' },
      { row: 6, field: 'sku', message: 'No product of yours has the SKU "FOREIGN-1"' },
      { row: 7, field: 'soldAt', message: 'soldAt must not be in the future' },
    ]);

    // stock and its movements are as before: history only
    const product = (await api.gql(SalesProduct, { id }, { seller })).data!.product!;
    expect(product.quantity).toBe(50);
    expect(product.stockMovements.nodes).toEqual([{ reason: 'RECEIVED', delta: 50 }]);
    const stored = await api.infra.db.importedSale.findMany({ where: { sellerId: seller }, orderBy: { row: 'asc' } });
    expect(stored.map((s) => [s.row, s.quantity])).toEqual([
      [1, 3],
      [2, 2],
      [8, 4],
    ]);

    // the forecast now starts 20 days back: 3 sales in 21 days is intermittent demand
    await eventually(async () => (await api.gql(SalesProduct, { id }, { seller })).data!.product!.stockForecast.historyDays === 21, 15_000, 'the recompute after the import');
    const forecast = (await api.gql(SalesProduct, { id }, { seller })).data!.product!.stockForecast;
    expect(forecast.method).toBe('TSB');
    expect(forecast.dailyDemand).toBeGreaterThan(0);
  });

  it('refuses a body that is not CSV, or no token, before any job exists', async () => {
    const seller = uniqueId('intel-sales-refused');
    const json = await uploadCsv(api, seller, '{}', { path: '/imports/sales', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    const anonymous = await uploadCsv(api, null, 'sku,quantity,soldAt\n', { path: '/imports/sales' });
    expect(anonymous.status).toBe(401);
    expect(await api.infra.db.job.count({ where: { sellerId: seller } })).toBe(0);
  });

  it('refuses a file whose header is not sku,quantity,soldAt, writing nothing', async () => {
    const seller = uniqueId('intel-sales-header');
    const upload = await uploadCsv(api, seller, 'sku,qty,date\nA,1,2026-01-01\n', { path: '/imports/sales' });
    const job = await finishedJob(api, seller, upload.json.id as string);
    expect(job.state).toBe('FAILED');
    expect(job.error).toContain('The header must be exactly the columns sku,quantity,soldAt');
    expect(await api.infra.db.importedSale.count({ where: { sellerId: seller } })).toBe(0);
  });
});
