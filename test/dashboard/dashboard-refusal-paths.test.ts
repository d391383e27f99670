import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser } from '../support/browser.js';

// Each way the server can refuse a token, alone: the others answer as for a good token, so the
// page must read this one refusal to show it (dashboard-token-refused.test.ts covers real tokens).
const SELLER = 'dashboard-refusal-paths';
const REFUSED = 'Your token expired or was refused';
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

async function expectRefused(page: Page, screenshot?: string): Promise<void> {
  await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
  await expect.poll(() => page.getByRole('alert').textContent().catch(() => ''), { timeout: 15_000 }).toContain(REFUSED);
  expect(await page.locator('#token').count()).toBe(1);
  if (screenshot) await page.screenshot({ path: `${ARTIFACTS}/${screenshot}`, fullPage: true });
  await page.close();
}

describe('the dashboard when one path refuses the token', () => {
  for (const code of [4401, 4403, 4419]) {
    it(`shows the refusal when the WebSocket closes with ${code}, instead of reconnecting`, async () => {
      const page = await browser.newPage();
      await page.routeWebSocket(/\/graphql$/, (ws) => ws.onMessage(() => ws.close({ code, reason: 'refused by the test' })));
      await expectRefused(page);
    }, 40_000);
  }

  it('keeps reconnecting, without a refusal, when the WebSocket closes for another reason', async () => {
    const page = await browser.newPage();
    await page.routeWebSocket(/\/graphql$/, (ws) => ws.onMessage(() => ws.close({ code: 4500, reason: 'internal error' })));
    await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Reconnecting');
    const lantern = page.locator('[data-testid=products] tr', { hasText: 'Lantern' });
    await expect.poll(() => lantern.getByTestId('quantity').textContent(), { timeout: 10_000 }).toBe('15');
    expect(await page.getByText(REFUSED).count()).toBe(0);
    await page.close();
  }, 40_000);

  it('shows the refusal when queries get HTTP 401', async () => {
    const page = await browser.newPage();
    await page.route(/\/graphql$/, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }] }) })
        : route.continue(),
    );
    await expectRefused(page, 'dashboard-token-refused-http-401.png');
  }, 40_000);

  it('shows the refusal when the SSE fallback gets HTTP 401', async () => {
    const page = await browser.newPage();
    await page.routeWebSocket(/\/graphql$/, (ws) => ws.close({ code: 1006 }));
    await page.route(/\/graphql\/stream/, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }] }) }),
    );
    await expectRefused(page);
  }, 40_000);
});
