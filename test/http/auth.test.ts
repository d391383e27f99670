import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { JWT_SECRET } from '../support/env.js';
import { sellerNodeId } from '../support/ids.js';

const Viewer = graphql(`query AuthViewer { viewer { id } }`);
const secret = new TextEncoder().encode(JWT_SECRET);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const badTokens: [string, () => Promise<string>][] = [
  ['alg none', async () => new UnsecuredJWT({}).setSubject('s1').encode()],
  ['wrong algorithm (HS512)', () => new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('s1').sign(secret)],
  ['bad signature', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('s1').sign(new TextEncoder().encode('x'.repeat(40)))],
  ['expired', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('s1').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret)],
  ['no subject', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(secret)],
  ['malformed subject', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('../../etc').sign(secret)],
  ['garbage', async () => 'not.a.jwt'],
];

describe('authentication over HTTP', () => {
  it('answers a request without a token with 401 UNAUTHENTICATED', async () => {
    const res = await api.gql(Viewer, {}, { seller: null });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]).toMatchObject({ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.data ?? null).toBeNull();
  });

  it.each(badTokens)('refuses a token with %s with 401', async (_kind, make) => {
    const res = await api.gql(Viewer, {}, { token: await make() });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await api.gql(Viewer, {}, { seller: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
  });

  it('accepts a valid token and scopes to its subject', async () => {
    const res = await api.gql(Viewer, {}, { token: await api.token('auth-ok', { expiresIn: '5m' }) });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { id: sellerNodeId('auth-ok') } });
  });

  it('serves schema introspection without a token, for GraphiQL', async () => {
    const res = await api.gql('{ __schema { queryType { name } } }', undefined, { seller: null });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('ignores X-Seller-Id unless gateway mode is on', async () => {
    const res = await api.gql(Viewer, {}, { seller: null, headers: { 'x-seller-id': 'spoofed' } });
    expect(res.status).toBe(401);
  });
});

describe('trusted-gateway mode', () => {
  let gateway: TestApi;
  beforeAll(async () => {
    gateway = await startTestApi({ AUTH_MODE: 'gateway' });
  });
  afterAll(() => gateway?.stop());

  it('takes the seller from X-Seller-Id', async () => {
    const res = await gateway.gql(Viewer, {}, { seller: null, headers: { 'x-seller-id': 'gw-seller' } });
    expect(res.data).toEqual({ viewer: { id: sellerNodeId('gw-seller') } });
  });

  it('answers 401 without the header or with a malformed one', async () => {
    expect((await gateway.gql(Viewer, {}, { seller: null })).status).toBe(401);
    expect((await gateway.gql(Viewer, {}, { seller: null, headers: { 'x-seller-id': 'bad id!' } })).status).toBe(401);
  });
});

describe('issuer and audience, when configured', () => {
  const ISSUER = 'https://id.example.com/';
  const AUDIENCE = 'amused-api';
  let strict: TestApi;
  beforeAll(async () => {
    strict = await startTestApi({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(() => strict?.stop());

  const sign = (claims: { iss?: string; aud?: string }) => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('aud-seller').setIssuedAt().setExpirationTime('5m');
    if (claims.iss) jwt = jwt.setIssuer(claims.iss);
    if (claims.aud) jwt = jwt.setAudience(claims.aud);
    return jwt.sign(secret);
  };

  it('accepts a token for this issuer and audience', async () => {
    const res = await strict.gql(Viewer, {}, { token: await sign({ iss: ISSUER, aud: AUDIENCE }) });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { id: sellerNodeId('aud-seller') } });
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example.com/', aud: AUDIENCE }],
    ['another audience', { iss: ISSUER, aud: 'some-other-api' }],
    ['no issuer', { aud: AUDIENCE }],
    ['no audience', { iss: ISSUER }],
  ])('refuses a token with %s with 401', async (_kind, claims) => {
    const res = await strict.gql(Viewer, {}, { token: await sign(claims) });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]).toMatchObject({ message: 'The token is invalid', extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.data ?? null).toBeNull();
  });

  it.each(badTokens)('still refuses a token with %s with 401', async (_kind, make) => {
    const res = await strict.gql(Viewer, {}, { token: await make() });
    expect(res.status).toBe(401);
  });
});

describe('the signing secret in production', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
  const secret32 = 'Kq3vN8pX2mR7tY1wZ5bC9dF4gH6jL0sA';

  it('must be at least 32 bytes', () => {
    expect(() => loadConfig({ ...production, JWT_SECRET: secret32.slice(1) })).toThrow('config: JWT_SECRET is invalid: must be at least 32 bytes in production');
    expect(loadConfig({ ...production, JWT_SECRET: secret32 }).auth.secret).toBe(secret32);
    // bytes, not characters: 11 three-byte characters are 33 bytes
    expect(() => loadConfig({ ...production, JWT_SECRET: '€₤₹₩₪₫₭₮₯₱₲' })).not.toThrow();
  });

  it('is required unless JWKS_URL is set', () => {
    expect(() => loadConfig(production)).toThrow('config: JWT_SECRET is missing');
    expect(loadConfig({ ...production, JWKS_URL: 'https://id.example.com/.well-known/jwks.json' }).auth.secret).toBeUndefined();
  });
});
