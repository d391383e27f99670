import { Decimal } from 'decimal.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { launchBrowser } from '../support/browser.js';
import { toGlobalId } from '../../src/graphql/global-id.js';

const SELLER = 'dashboard-sse-seller';
let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
  await api.services.catalog.createProduct(SELLER, { name: 'Lantern', category: 'Outdoor', quantity: 15, price: new Decimal('24.00') });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('the dashboard where WebSockets are blocked', () => {
  it('falls back to Server-Sent Events and still updates stock live', async () => {
    const page = await browser.newPage();
    // a proxy that refuses WebSockets: every socket to the api is closed at once
    await page.routeWebSocket(/\/graphql$/, (ws) => ws.close({ code: 1006 }));
    await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toContain('Live · SSE');

    const lantern = page.locator('[data-testid=products] tr', { hasText: 'Lantern' });
    await expect.poll(() => lantern.getByTestId('quantity').textContent(), { timeout: 5000 }).toBe('15');
    const product = await api.infra.db.product.findFirstOrThrow({ where: { sellerId: SELLER } });
    await api.services.catalog.updateProduct(SELLER, toGlobalId('Product', product.id), { quantity: 4 });
    await expect.poll(() => lantern.getByTestId('quantity').textContent(), { timeout: 2000 }).toBe('4');
    await expect.poll(() => page.getByTestId('feed').textContent(), { timeout: 2000 }).toContain('Lantern: on hand → 4');
    await page.close();
  }, 40_000);
});
