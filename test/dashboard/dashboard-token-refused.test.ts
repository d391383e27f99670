import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/graphql/auth.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser } from '../support/browser.js';
import { JWT_SECRET } from '../support/env.js';

const SELLER = 'dashboard-refused-seller';
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

/** Opens the dashboard with `token`, expects the refusal to be shown, then pastes a good token and expects the store live. */
async function refusedThenRecovered(token: string, screenshot: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${api.url}/dashboard?token=${token}`);
  await expect.poll(() => page.getByRole('alert').textContent().catch(() => ''), { timeout: 15_000 }).toContain(REFUSED);
  await page.screenshot({ path: `${ARTIFACTS}/${screenshot}`, fullPage: true });
  await page.locator('#token').fill(await api.token(SELLER));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Live');
  const lantern = page.locator('[data-testid=products] tr', { hasText: 'Lantern' });
  await expect.poll(() => lantern.getByTestId('quantity').textContent(), { timeout: 10_000 }).toBe('15');
  return page;
}

describe('the dashboard with a token the server will not take', () => {
  it('says an expired token was refused and takes a new one, instead of reconnecting forever', async () => {
    const expired = await signToken(JWT_SECRET, SELLER, { expiresIn: -60 });
    const page = await refusedThenRecovered(expired, 'dashboard-token-expired.png');
    await page.close();
  }, 60_000);

  it('says so when the token expires on an open connection (close 4419), instead of reconnecting forever', async () => {
    const page = await browser.newPage();
    const shortLived = await signToken(JWT_SECRET, SELLER, { expiresIn: 15 });
    await page.goto(`${api.url}/dashboard?token=${shortLived}`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 12_000 }).toContain('Live');
    // the WebSocket's close (4419) or the charts' next reload (HTTP 401) tells the page; each alone: dashboard-refusal-paths.test.ts
    await expect.poll(() => page.getByRole('alert').textContent().catch(() => ''), { timeout: 40_000 }).toContain(REFUSED);
    await page.close();
  }, 90_000);

  it('says a token with a bad signature was refused, instead of silently showing the sign-in form', async () => {
    const forged = await signToken('another-secret-that-is-at-least-32-bytes', SELLER);
    const page = await refusedThenRecovered(forged, 'dashboard-token-refused.png');
    await page.close();
  }, 60_000);
});
