import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser, watchConsole } from '../support/browser.js';
import { toGlobalId } from '../../src/graphql/global-id.js';

const SELLER = 'dashboard-seller';
const Update = graphql(`
  mutation DashboardTestUpdate($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { id quantity } userErrors { message } } }
`);

let api: TestApi;
let browser: Browser;
let page: Page;
let problems: string[];
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
  for (const [name, category, quantity] of [
    ['Blue mug', 'Kitchen', 40],
    ['Green kettle', 'Kitchen', 12],
    ['Trowel', 'Garden', 25],
    ['Watering can', 'Garden', 8],
    ['Desk lamp', 'Office', 30],
  ] as const) {
    const result = await api.services.catalog.createProduct(SELLER, { name, category, quantity, price: new Decimal('9.90'), lowStockThreshold: 5 });
    ids[name] = toGlobalId('Product', result.product!.id);
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = watchConsole(page);
  await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const row = (name: string) => page.locator('[data-testid=products] tr', { hasText: name });

describe('the live stock dashboard', () => {
  it('signs in with ?token= and shows the seller products, live', async () => {
    await expect.poll(() => page.locator('[data-testid=products] tbody tr').count(), { timeout: 10_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('Live');
    expect(await row('Blue mug').getByTestId('quantity').textContent()).toBe('40');
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
  });

  it('shows a stock change made through the API within one second', async () => {
    const started = Date.now();
    await api.gql(Update, { id: ids['Trowel']!, input: { quantity: 21 } }, { seller: SELLER });
    await expect.poll(() => row('Trowel').getByTestId('quantity').textContent(), { timeout: 1000, interval: 25 }).toBe('21');
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => page.getByTestId('feed').textContent(), { timeout: 2000 }).toContain('Trowel: on hand → 21');
  });

  it('raises a visible alert when a product crosses into low stock', async () => {
    await api.gql(Update, { id: ids['Desk lamp']!, input: { quantity: 3 } }, { seller: SELLER });
    const alert = page.getByTestId('low-stock-alerts');
    await expect.poll(() => alert.textContent(), { timeout: 2000 }).toContain('Desk lamp has 3 available (threshold 5)');
    expect(await row('Desk lamp').getAttribute('class')).toContain('low');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-low-stock.png`, fullPage: true });
  });

  it('imports a CSV from the page with progress to 100% and its row errors, then exports', async () => {
    const csv = [
      'sku,name,description,price,quantity,category,lowStockThreshold',
      'IMP-1,Imported kettle,,19.99,7,Kitchen,2',
      'IMP-2,,missing name,5.00,1,Kitchen,',
      'IMP-3,Bad price,,-1,1,Garden,',
      'IMP-4,Imported rake,,12.50,3,Garden,1',
    ].join('\n');
    await page.setInputFiles('#csv-file', { name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('value'), { timeout: 15_000 }).toBe('100');
    await expect.poll(() => page.getByTestId('import-job').textContent(), { timeout: 5000 }).toContain('2 imported, 2 failed');
    await expect.poll(() => page.locator('[data-testid=row-errors] tbody tr').count(), { timeout: 5000 }).toBe(2);
    const errors = await page.$$eval('[data-testid=row-errors] tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(errors).toEqual([
      ['2', 'name'],
      ['3', 'price'],
    ]);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-import.png`, fullPage: true });

    await page.getByRole('button', { name: 'Export catalog as CSV' }).click();
    await expect.poll(() => page.getByTestId('export-link').textContent(), { timeout: 15_000 }).toContain('Download products.csv (7 rows)');
  }, 40_000);

  it('fits a phone-sized screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('labels its controls for assistive technology', async () => {
    for (const label of ['Search products', 'Category']) expect(await page.getByLabel(label, { exact: true }).count()).toBe(1);
    expect(await page.getByRole('status').count()).toBeGreaterThan(0);
  });

  it('has no console errors and loads nothing from the internet', () => {
    expect(problems).toEqual([]);
  });

  it('reconnects after an api restart and shows the events made meanwhile, once each', async () => {
    const before = await feedSequences();
    const last = Math.max(...before);
    await api.restartHttp(async () => {
      await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toMatch(/Reconnecting|Connecting/);
      for (const quantity of [11, 10, 9]) await api.services.catalog.updateProduct(SELLER, ids['Green kettle']!, { quantity });
    });
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Live');
    await expect.poll(async () => (await feedSequences()).filter((s) => s > last), { timeout: 10_000 }).toEqual([last + 3, last + 2, last + 1]);
    const all = await feedSequences();
    expect(new Set(all).size).toBe(all.length);
    expect(await row('Green kettle').getByTestId('quantity').textContent()).toBe('9');
  }, 40_000);
});

async function feedSequences(): Promise<number[]> {
  return page.$$eval('[data-testid=feed] li', (items) => items.map((li) => Number(li.getAttribute('data-sequence'))));
}

