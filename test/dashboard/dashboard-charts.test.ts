import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser, watchConsole } from '../support/browser.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';

const SELLER = 'dashboard-charts-seller';
const MugBySku = graphql(`
  query ChartsMugBySku { productBySku(sku: "CH-0") { id } }
`);
const Restock = graphql(`
  mutation ChartsRestock($id: ID!) { updateProduct(id: $id, input: { quantity: 500 }) { product { id quantity } } }
`);
const IMPORTED = 3000;

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir }, { worker: true });
  for (const [name, category, quantity] of [
    ['Cast Iron Skillet, 26 cm', 'Kitchen', 40],
    ['Galvanised Watering Can, 9 l', 'Garden', 12],
  ] as const) {
    await api.services.catalog.createProduct(SELLER, { name, category, quantity, price: new Decimal('34.90') });
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = watchConsole(page);
  await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await blobs?.remove();
});

const rateTotal = () => page.getByTestId('rate-chart').getAttribute('data-total').then(Number);
const stockTitles = () => page.$$eval('[data-testid=stock-chart] title', (titles) => titles.map((t) => t.textContent ?? ''));

async function serverUnits(): Promise<string[]> {
  const rows = await api.infra.db.$queryRaw<{ category: string; units: number }[]>`
    SELECT category, sum(quantity)::int AS units FROM products WHERE seller_id = ${SELLER} GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => `${r.category}: ${r.units} on hand`);
}

describe('the dashboard charts', () => {
  it('show the server\'s numbers right after a 3,000-row import, not the few events the feed holds', async () => {
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Live');
    await expect.poll(rateTotal, { timeout: 10_000 }).toBe(2);
    const rows = Array.from({ length: IMPORTED }, (_, i) => `CH-${i},Enamel Camp Mug ${i},,9.90,${(i % 7) + 1},${i % 2 ? 'Camping' : 'Kitchen'},1`);
    const upload = await uploadCsv(api, SELLER, [CSV_HEADER, ...rows].join('\n'));
    expect(upload.status).toBe(202);
    expect(await finishedJob(api, SELLER, upload.json['id'] as string, 60_000)).toMatchObject({ state: 'COMPLETED', succeededRows: IMPORTED });

    const [events] = await api.infra.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE seller_id = ${SELLER}`;
    expect(events!.n).toBe(IMPORTED + 2);
    await expect.poll(rateTotal, { timeout: 10_000 }).toBe(IMPORTED + 2);
    expect(await page.getByRole('heading', { name: /Events per minute/ }).textContent()).toContain(`${IMPORTED + 2} in the last 30 min`);

    const expected = await serverUnits();
    await expect.poll(async () => (await stockTitles()).map((t) => t.split(',')[0]), { timeout: 10_000 }).toEqual(expected);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-charts-after-import.png`, fullPage: true });
  }, 120_000);

  it('follow a single change within a second', async () => {
    const before = await rateTotal();
    const mug = (await api.gql(MugBySku, {}, { seller: SELLER })).data!.productBySku!;
    const updated = await api.gql(Restock, { id: mug.id }, { seller: SELLER });
    expect(updated.data?.updateProduct.product?.quantity).toBe(500);
    await expect.poll(rateTotal, { timeout: 2000, interval: 50 }).toBe(before + 1);
    await expect.poll(async () => (await stockTitles()).map((t) => t.split(',')[0]), { timeout: 2000 }).toEqual(await serverUnits());
  });

  it('has no console errors', () => {
    expect(problems).toEqual([]);
  });
});
