import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, Refresh, SignIn, signUp, uniqueEmail } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ SIGN_IN_PER_EMAIL_PER_MINUTE: '3', SIGN_IN_PER_ADDRESS_PER_MINUTE: '8' });
});
afterAll(() => api?.stop());

const signIn = (email: string, password: string, headers: Record<string, string> = {}) => api.gql(SignIn, { input: { email, password } }, { seller: null, headers });

describe('brute-force limits on sign-in and refresh', () => {
  it('limits attempts per email with RATE_LIMITED and Retry-After; even the right password waits; the lock lasts one window', async () => {
    const owner = await signUp(api, 'brute');
    for (let i = 0; i < 3; i++) expect((await signIn(owner.email, `wrong guess number ${i}`)).data?.signIn.userErrors[0]?.code).toBe('INVALID');
    const limited = await signIn(owner.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'SIGN_IN' });
    expect(limited.errors?.[0]?.message).toMatch(/for this email/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // nothing permanent: the counter is a Redis key that expires with its one-minute window
    const ttl = await api.infra.redis.pttl(`${api.infra.config.redisPrefix}:limits:sign-in-email:${owner.email}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // another email is not locked by this one
    const other = await signUp(api, 'brute-other');
    expect((await signIn(other.email, PASSWORD)).data?.signIn.userErrors).toEqual([]);
  });

  it('limits refreshes per email without spending the refused refresh token', async () => {
    const owner = await signUp(api, 'refresher');
    let refreshToken = owner.refreshToken;
    for (let i = 0; i < 3; i++) {
      const res = await api.gql(Refresh, { refreshToken }, { seller: null, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } });
      expect(res.data?.refreshSession.userErrors).toEqual([]);
      refreshToken = res.data!.refreshSession.tokens!.refreshToken;
    }
    const limited = await api.gql(Refresh, { refreshToken }, { seller: null, headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.message).toMatch(/for this email/);
    const { createHash } = await import('node:crypto');
    const row = await api.infra.db.refreshToken.findUniqueOrThrow({ where: { hash: createHash('sha256').update(refreshToken).digest('hex') }, include: { session: true } });
    expect(row.usedAt).toBeNull();
    expect(row.session.revokedAt).toBeNull();
  });

  it('limits attempts per client address across emails, and counts refreshes too', async () => {
    const address = { 'x-forwarded-for': '203.0.113.77' };
    let refused = 0;
    for (let i = 0; i < 10; i++) {
      const res = await signIn(uniqueEmail(`spray${i}`), 'some guessed password', address);
      if (res.status === 429) {
        refused++;
        expect(res.errors?.[0]?.message).toMatch(/from this address/);
      }
    }
    expect(refused).toBe(2);
    const refresh = await api.gql(Refresh, { refreshToken: 'y'.repeat(43) }, { seller: null, headers: address });
    expect(refresh.status).toBe(429);
    expect(refresh.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // another address is unaffected
    expect((await signIn(uniqueEmail('elsewhere'), 'some guessed password', { 'x-forwarded-for': '203.0.113.78' })).status).toBe(200);
  });
});
