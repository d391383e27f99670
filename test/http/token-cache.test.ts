import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthenticator, signToken } from '../../src/graphql/auth.js';
import { JWT_SECRET } from '../support/env.js';

const hs256 = { mode: 'jwt', secret: JWT_SECRET, maxLifetimeSeconds: 86_400 } as const;

// only the clock is faked: token expiry and JWKS freshness read Date
afterEach(() => vi.useRealTimers());

describe('verified-token cache (HS256)', () => {
  it('answers a repeated token from the cache', async () => {
    const authenticate = createAuthenticator(hs256);
    const token = await signToken(JWT_SECRET, 'cache-seller', { expiresIn: 60 });
    const first = await authenticate(`Bearer ${token}`, undefined);
    expect(first).toMatchObject({ sellerId: 'cache-seller' });
    expect(await authenticate(`Bearer ${token}`, undefined)).toBe(first);
  });

  it('refuses a cached token once its exp has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const authenticate = createAuthenticator(hs256);
    const token = await signToken(JWT_SECRET, 'cache-seller', { expiresIn: 30 });
    await expect(authenticate(`Bearer ${token}`, undefined)).resolves.toMatchObject({ sellerId: 'cache-seller' });
    vi.advanceTimersByTime(29_000);
    await expect(authenticate(`Bearer ${token}`, undefined)).resolves.toMatchObject({ sellerId: 'cache-seller' });
    vi.advanceTimersByTime(1_000);
    await expect(authenticate(`Bearer ${token}`, undefined)).rejects.toMatchObject({
      message: 'The token has expired',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses a token cached under the old secret once the secret is rotated', async () => {
    const token = await signToken(JWT_SECRET, 'cache-seller', { expiresIn: 60 });
    const before = createAuthenticator(hs256);
    await expect(before(`Bearer ${token}`, undefined)).resolves.toMatchObject({ sellerId: 'cache-seller' });
    const after = createAuthenticator({ ...hs256, secret: 'another-secret-that-is-also-32-bytes-long' });
    await expect(after(`Bearer ${token}`, undefined)).rejects.toMatchObject({ message: 'The token is invalid' });
  });
});

describe('verified-token cache (JWKS)', () => {
  let idp: Server;
  let url: string;
  let published: JWK[] = [];
  const keyPair = (kid: string) =>
    generateKeyPair('RS256').then(async ({ privateKey, publicKey }) => ({ privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } }));

  beforeAll(async () => {
    idp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published })));
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((r) => idp?.close(r)));

  it('refuses a cached token once its key is no longer in the JWKS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [old, rotated] = await Promise.all([keyPair('old'), keyPair('new')]);
    published = [old.jwk];
    const authenticate = createAuthenticator({ mode: 'jwt', jwksUrl: url, maxLifetimeSeconds: 86_400 }, { jwksCacheMaxAgeMs: 60_000 });
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'old' }).setSubject('jwks-seller').setExpirationTime('1h').sign(old.privateKey);
    await expect(authenticate(`Bearer ${token}`, undefined)).resolves.toMatchObject({ sellerId: 'jwks-seller' });

    published = [rotated.jwk];
    // still within the keys' max age: the identity provider is not asked again
    await expect(authenticate(`Bearer ${token}`, undefined)).resolves.toMatchObject({ sellerId: 'jwks-seller' });
    vi.advanceTimersByTime(60_001);
    await expect(authenticate(`Bearer ${token}`, undefined)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
