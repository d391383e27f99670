import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser, watchConsole } from '../support/browser.js';
import { PlaceOrder, UpdateOrderStatus } from '../support/stock.js';

const SELLER = 'dashboard-intelligence-seller';
const Create = graphql(`
  mutation DashboardIntelCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);

let api: TestApi;
let browser: Browser;
let page: Page;
let problems: string[];
const ids: Record<string, string> = {};

async function sell(items: { productId: string; quantity: number }[]): Promise<void> {
  const placed = await api.gql(PlaceOrder, { input: { items } }, { seller: SELLER });
  await api.gql(UpdateOrderStatus, { id: placed.data!.placeOrder.order!.id, status: 'CONFIRMED' }, { seller: SELLER });
}

beforeAll(async () => {
  api = await startTestApi({ INTELLIGENCE_RECOMPUTE_DELAY_MS: '200' }, { worker: true });
  for (const [name, quantity] of [
    ['Espresso beans', 30],
    ['Milk frother', 500],
    ['Paper filters', 400],
  ] as const) {
    const res = await api.gql(Create, { input: { name, category: 'Coffee', price: '9.90', quantity } }, { seller: SELLER });
    ids[name] = res.data!.createProduct.product!.id;
  }
  // today: 24 beans sold with the frother, 6 left; filters sold alone
  for (let i = 0; i < 3; i++) await sell([{ productId: ids['Espresso beans']!, quantity: 8 }, { productId: ids['Milk frother']!, quantity: 1 }]);
  await sell([{ productId: ids['Paper filters']!, quantity: 1 }]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = watchConsole(page);
  await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('catalog intelligence in the dashboard', () => {
  it('lists what runs out soon, and shows a product forecast and what sells with it', async () => {
    const panel = page.getByTestId('running-out');
    await expect.poll(() => panel.textContent(), { timeout: 20_000 }).toContain('Espresso beans');
    expect(await panel.textContent()).not.toContain('Paper filters'); // 400 left at 1 a day
    await panel.getByRole('button', { name: 'Espresso beans' }).click();
    const insight = page.getByTestId('product-insight');
    await expect.poll(() => insight.textContent(), { timeout: 5000 }).toContain('Bought together');
    await expect.poll(() => insight.textContent(), { timeout: 5000 }).toContain('Milk frother');
    expect(await insight.getByTestId('stockout').textContent()).toMatch(/^in 0\.\d days/); // 6 left at 24 a day
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-intelligence.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
