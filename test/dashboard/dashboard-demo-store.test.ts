import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../prisma/seed/demo-store.js';
import { expiryScheduleOn } from '../../src/modules/inventory/reservation-expiry.queue.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser, watchConsole } from '../support/browser.js';

// What a new user sees after `npm run db:seed`: the demo store on a laptop and on a phone.
const SELLER = 'demo-seller-1';
let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
  await seedDemoStore({ db: api.infra.db, catalog: api.services.catalog, expiry: expiryScheduleOn(api.infra.queues, api.infra.log) });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

async function serverFigures() {
  const [events] = await api.infra.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE seller_id = ${SELLER}`;
  const units = await api.infra.db.$queryRaw<{ line: string }[]>`
    SELECT category || ': ' || sum(quantity) || ' on hand' AS line FROM products WHERE seller_id = ${SELLER} GROUP BY category ORDER BY category`;
  return { events: events!.n, units: units.map((u) => u.line) };
}

describe('the seeded demo store in the dashboard', () => {
  for (const [device, viewport, screenshot] of [
    ['a laptop', { width: 1366, height: 900 }, 'dashboard-demo-store.png'],
    ['a phone', { width: 390, height: 844 }, 'dashboard-demo-store-phone.png'],
  ] as const) {
    it(`shows its products, live, with the server's chart figures, on ${device}`, async () => {
      const page = await browser.newPage({ viewport, ...(viewport.width < 500 ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}) });
      const problems = watchConsole(page);
      await page.goto(`${api.url}/dashboard?token=${await api.token(SELLER)}`);
      await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Live');
      await expect.poll(() => page.getByRole('heading', { name: /^Products/ }).textContent(), { timeout: 10_000 }).toContain('72');
      const expected = await serverFigures();
      expect(expected.events).toBeGreaterThanOrEqual(72);
      await expect.poll(() => page.getByTestId('rate-chart').getAttribute('data-total').then(Number), { timeout: 10_000 }).toBe(expected.events);
      await expect.poll(() => page.$$eval('[data-testid=stock-chart] title', (ts) => ts.map((t) => (t.textContent ?? '').split(',')[0])), { timeout: 10_000 }).toEqual(expected.units);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
      // every column in view, long names wrapping rather than pushing the stock columns aside
      expect(await page.locator('.products .table-scroll').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      const available = page.getByTestId('available').first();
      const box = await available.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${ARTIFACTS}/${screenshot}`, fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    }, 60_000);
  }
});
