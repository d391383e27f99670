import { Decimal } from 'decimal.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { moneyOf, pay, placeFor, refund } from '../checkout/checkout-ops.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser, watchConsole } from '../support/browser.js';
import { testSmtp, type TestSmtp } from '../support/smtp.js';
import { keyOf } from '../support/ids.js';
import { waitFor } from '../support/wait.js';

const SELLER = 'dashboard-orders';
let api: TestApi;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;
let problems: string[];
let orderId: string;

beforeAll(async () => {
  smtp = await testSmtp();
  api = await startTestApi({ SMTP_URL: smtp.url }, { worker: true });
  const lamp = await api.services.catalog.createProduct(SELLER, { name: 'Desk lamp', category: 'Office', quantity: 10, price: new Decimal('12.50'), lowStockThreshold: 0 });
  const order = await placeFor(api, SELLER, toGlobalId('Product', lamp.product!.id), 2, { email: 'ada@example.com', name: 'Ada' });
  orderId = order.id;
  await pay(api, SELLER, orderId, 'pm_card_chargeDeclined');
  const paid = await pay(api, SELLER, orderId);
  await refund(api, SELLER, paid.payment!.id, '5.00', undefined, 'scratched');
  await waitFor(async () => {
    const { notifications } = await moneyOf(api, SELLER, orderId);
    return notifications.length === 4 && notifications.every((n) => n.status === 'SENT') ? true : undefined;
  }, 'the notifications to be sent');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = watchConsole(page);
  await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await smtp?.stop();
});

describe("the dashboard's orders", () => {
  it("shows an order's payments, refunds and notifications", async () => {
    const row = page.getByTestId(`order-${orderId}`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getByTestId('order-status').textContent()).toBe('confirmed · partially refunded');
    expect(await row.textContent()).toContain('25.00 / 5.00');
    const number = keyOf(orderId);
    await row.getByRole('button', { name: `#${number}` }).click();
    const checkout = page.getByTestId('order-checkout');
    await expect.poll(() => checkout.count(), { timeout: 5000 }).toBe(1);
    expect(await checkout.getByRole('heading').first().textContent()).toBe(`Payments of order #${number}`);
    const payments = await checkout.getByTestId('payments').textContent();
    expect(payments).toContain('25.00 USD failed (card_declined)');
    expect(payments).toContain('25.00 USD succeeded');
    expect(await checkout.getByTestId('refunds').textContent()).toBe('refunded 5.00 (scratched)');
    const notifications = await checkout.getByTestId('notifications').textContent();
    for (const line of ['payment failed', 'payment succeeded', 'order confirmation', 'refund issued']) expect(notifications).toContain(`${line} by email to ada@example.com: sent`);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-orders.png`, fullPage: true });
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('has no console errors', () => {
    expect(problems).toEqual([]);
  });
});
