import { Decimal } from 'decimal.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser } from '../support/browser.js';

const SELLER = 'dashboard-phone-seller';
// names as long as real shops use them
const PRODUCTS = [
  ['Stainless Steel Insulated Water Bottle with Bamboo Lid, 750 ml, Brushed Silver', 'Kitchen', 48],
  ['Hand-thrown Stoneware Coffee Mug, Speckled Oatmeal Glaze, 350 ml (Set of Two)', 'Kitchen', 7],
  ['Ergonomic Solid Beech Garden Trowel with Leather Hanging Loop', 'Garden', 120],
  ['Adjustable LED Desk Lamp with Wireless Charging Base and USB-C Port, Matte Black', 'Office', 3],
] as const;

let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
  for (const [name, category, quantity] of PRODUCTS) {
    await api.services.catalog.createProduct(SELLER, { name, category, quantity, price: new Decimal('34.50'), lowStockThreshold: 5 });
  }
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('the dashboard on a phone (390 px)', () => {
  it('shows every product with its name, on hand, reserved and available, without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
    const rows = page.locator('[data-testid=products] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(PRODUCTS.length);

    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    expect(await page.locator('.table-scroll').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    for (const [name, , quantity] of PRODUCTS) {
      const card = rows.filter({ hasText: name });
      for (const [part, text] of [
        [card.locator('.name'), name],
        [card.getByTestId('quantity'), String(quantity)],
        [card.getByTestId('reserved'), '0'],
        [card.getByTestId('available'), String(quantity)],
      ] as const) {
        expect((await part.textContent())?.trim()).toBe(text);
        const box = await part.boundingBox();
        expect(box, `${name}: ${text}`).not.toBeNull();
        expect(box!.width).toBeGreaterThan(0);
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, `${name}: ${text} inside the screen`).toBeLessThanOrEqual(390);
      }
      expect(await card.getByTestId('reserved').evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: typeof el, pseudo: string) => { content: string } }).getComputedStyle(el, '::before').content)).toBe('"Reserved"');
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-phone-long-names.png`, fullPage: true });
    await page.close();
  }, 60_000);
});
