import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, SignIn, SignUp, uniqueEmail } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

let gateway: TestApi;
beforeAll(async () => {
  gateway = await startTestApi({ AUTH_MODE: 'gateway' });
});
afterAll(() => gateway?.stop());

describe('accounts beside the gateway mode', () => {
  it('a caller named by X-Seller-Id keeps full (OWNER) access, OWNER-only operations included', async () => {
    const res = await gateway.gql<{ revokeApiKey: { userErrors: { code: string }[] } }, Record<string, never>>(
      'mutation { revokeApiKey(id: "x") { userErrors { code } } }',
      {},
      { seller: null, headers: { 'x-seller-id': 'gateway-seller' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.revokeApiKey.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });

  it('signUp and signIn say plainly that people sign in at the gateway, and create nothing', async () => {
    const before = await gateway.infra.db.user.count();
    const up = await gateway.gql(SignUp, { input: { email: uniqueEmail('gw'), password: PASSWORD, sellerName: 'Gw' } }, { seller: null });
    expect(up.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    expect(up.errors?.[0]?.message).toMatch(/Accounts are off/);
    const inn = await gateway.gql(SignIn, { input: { email: uniqueEmail('gw'), password: PASSWORD } }, { seller: null });
    expect(inn.errors?.[0]?.message).toMatch(/Accounts are off/);
    expect(await gateway.infra.db.user.count()).toBe(before);
  });
});
