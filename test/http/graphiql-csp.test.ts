import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { launchBrowser } from '../support/browser.js';
import { uniqueId } from '../support/wait.js';
import { sellerNodeId } from '../support/ids.js';

// A real browser is the only proof that the page runs under the CSP.
describe('GraphiQL in Chromium under the Content-Security-Policy', () => {
  let api: TestApi;
  let browser: Browser;
  beforeAll(async () => {
    [api, browser] = await Promise.all([startTestApi(), launchBrowser()]);
  });
  afterAll(() => Promise.all([api?.stop(), browser?.close()]));

  it('loads, runs a query and shows the result without a single CSP violation', async () => {
    const seller = uniqueId('graphiql');
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    // browser code as text: this file is compiled without the DOM types
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('Refused to load (CSP): ' + e.violatedDirective + ' ' + e.blockedURI));",
    });
    const response = await page.goto(`${api.url}/graphql?token=${await api.token(seller)}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
    // the default tab holds a query named Products; replace its body with one whose answer names the seller
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor();
    await page.evaluate("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('query Products { viewer { id } }')");
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.result-window').innerText(), { timeout: 20_000 }).toContain(sellerNodeId(seller));
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);
});
