import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { JWT_SECRET } from '../support/env.js';
import { wsClient } from '../support/subscriptions.js';
import { sellerNodeId } from '../support/ids.js';

// an identity provider of the test's own: RS256 keys published as a JWKS on loopback
let idp: Server;
let api: TestApi;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

beforeAll(async () => {
  const keys = await generateKeyPair('RS256');
  privateKey = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  idp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  const { port } = idp.address() as AddressInfo;
  api = await startTestApi({ JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'amused' });
});
afterAll(async () => {
  await api?.stop();
  await new Promise((r) => idp?.close(r));
});

const sign = (claims: { iss?: string; aud?: string } = {}) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('jwks-seller')
    .setIssuer(claims.iss ?? 'https://idp.test')
    .setAudience(claims.aud ?? 'amused')
    .setExpirationTime('5m')
    .sign(privateKey);

describe('tokens from an external identity provider (JWKS_URL)', () => {
  it('accepts a token signed with a key of the JWKS', async () => {
    const res = await api.gql('{ viewer { id } }', undefined, { token: await sign() });
    expect(res.data).toEqual({ viewer: { id: sellerNodeId('jwks-seller') } });
  });

  it.each([
    ['another issuer', { iss: 'https://evil.test' }],
    ['another audience', { aud: 'someone-else' }],
  ])('refuses a token for %s over HTTP, WebSocket and SSE', async (_kind, claims) => {
    const token = await sign(claims);
    expect((await api.gql('{ viewer { id } }', undefined, { token })).status).toBe(401);
    expect(await wsClient(api.url, `Bearer ${token}`).closeCode).toBe(4403);
    const sse = await fetch(`${api.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { productEvents { sequence } }' }),
    });
    expect(sse.status).toBe(401);
  });

  it('refuses HS256 tokens signed with a shared secret once a JWKS is configured', async () => {
    const hs = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('https://idp.test').setAudience('amused').sign(new TextEncoder().encode(JWT_SECRET));
    expect((await api.gql('{ viewer { id } }', undefined, { token: hs })).status).toBe(401);
  });
});
