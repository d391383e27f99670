import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { AcceptInvite, PASSWORD, uniqueEmail } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ARTIFACTS, launchBrowser } from '../support/browser.js';

const Viewer = graphql(`query DashboardAccountsViewer { viewer { id } }`);

let api: TestApi;
let browser: Browser;
beforeAll(async () => {
  api = await startTestApi({ AUTH_RECHECK_MS: '500' });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('accounts in the dashboard', () => {
  it('a seller signs up, invites a read-only colleague who cannot change anything, gives its backend an API key, and revokes them', async () => {
    const ownerEmail = uniqueEmail('dash-owner');
    const page = await browser.newPage();
    await page.goto(`${api.url}/dashboard`);
    await page.getByRole('button', { name: 'New here? Create a seller' }).click();
    await page.locator('#email').fill(ownerEmail);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#seller-name').fill('Dash Shop');
    await page.getByRole('button', { name: 'Create seller' }).click();
    await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 15_000 }).toBe(`${ownerEmail} · OWNER`);

    await page.getByRole('button', { name: 'Team & API keys' }).click();
    const colleague = uniqueEmail('dash-reader');
    await page.locator('#invite-email').fill(colleague);
    await page.getByLabel('Role of the invited user').selectOption('READ_ONLY');
    await page.getByRole('button', { name: 'Invite' }).click();
    const link = (await page.getByTestId('invite-link').textContent({ timeout: 10_000 }))!;
    expect(link).toContain('/dashboard?invite=');
    const invitations = page.getByTestId('invitations');
    await expect.poll(() => invitations.locator('tbody tr', { hasText: colleague }).count(), { timeout: 10_000 }).toBe(1);

    // a second invitation, withdrawn before anyone uses its link
    const changedMind = uniqueEmail('dash-withdrawn');
    await page.locator('#invite-email').fill(changedMind);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect.poll(() => invitations.locator('tbody tr', { hasText: changedMind }).count(), { timeout: 10_000 }).toBe(1);
    const withdrawnLink = (await page.getByTestId('invite-link').textContent())!;
    await page.getByRole('button', { name: `Withdraw the invitation of ${changedMind}` }).click();
    await expect.poll(() => invitations.locator('tbody tr', { hasText: changedMind }).count(), { timeout: 10_000 }).toBe(0);
    const withdrawnToken = new URL(withdrawnLink).searchParams.get('invite')!;
    const refused = await api.gql(AcceptInvite, { input: { token: withdrawnToken, password: PASSWORD } }, { seller: null });
    expect(refused.data?.acceptInvite.userErrors[0]?.code).toBe('INVALID');

    await page.locator('#key-name').fill('backend');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').textContent({ timeout: 10_000 }))!;
    expect(key).toMatch(/^amk_[0-9a-f]{12}_/);
    expect((await api.gql(Viewer, {}, { token: key })).status).toBe(200);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-team.png`, fullPage: true });

    // the colleague follows the link in a browser of their own
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(link);
    await other.locator('#password').fill('another good passphrase');
    await other.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => other.getByTestId('who').textContent(), { timeout: 15_000 }).toBe(`${colleague} · READ_ONLY`);
    expect(await other.getByRole('button', { name: 'Team & API keys' }).count()).toBe(0);
    const readerToken = ((await other.evaluate('localStorage.getItem("amused.token")')) as string | null)!;
    const write = await api.gql('mutation { createProduct(input: { name: "Nope", price: "1.00", category: "x" }) { product { id } } }', {}, { token: readerToken });
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // the owner revokes the key and removes the colleague; the accepted invitation is no longer pending
    await page.reload();
    await page.getByRole('button', { name: 'Team & API keys' }).click();
    await expect.poll(() => page.getByTestId('users').locator('tbody tr', { hasText: colleague }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('invitations').count()).toBe(0);
    const keyRow = page.getByTestId('api-keys').locator('tr', { hasText: 'backend' });
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.getByTestId('api-keys').locator('tbody tr').count(), { timeout: 10_000 }).toBe(0);
    expect((await api.gql(Viewer, {}, { token: key })).status).toBe(401);
    const userRow = page.getByTestId('users').locator('tr', { hasText: colleague });
    await userRow.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByTestId('users').locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect((await api.gql(Viewer, {}, { token: readerToken })).status).toBe(401);

    // signing out ends the session server-side
    const ownerToken = ((await page.evaluate('localStorage.getItem("amused.token")')) as string | null)!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Continue with email' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await api.gql(Viewer, {}, { token: ownerToken })).status, { timeout: 5000 }).toBe(401);
    await context.close();
    await page.close();
  }, 120_000);
});
