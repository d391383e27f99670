import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueId } from '../support/wait.js';
import { sellerNodeId } from '../support/ids.js';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';font-src 'self' data:;img-src 'self' data:;" +
  "connect-src 'self' ws: wss:;object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'";
const ALLOWED = 'https://app.example.com';

let a: TestApi;
let b: TestApi;
beforeAll(async () => {
  const shared = { REDIS_PREFIX: uniqueId('test-http-security'), CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` };
  [a, b] = await Promise.all([startTestApi(shared), startTestApi(shared)]);
});
afterAll(() => Promise.all([a?.stop(), b?.stop()]));

describe('security headers', () => {
  it.each([
    ['GET /healthz', '/healthz', {}],
    ['GET /graphql (GraphiQL)', '/graphql', { accept: 'text/html' }],
    ['GET a GraphiQL asset', null, {}],
  ] as const)('sets helmet headers and the CSP on %s', async (_name, path, headers) => {
    let url: string | null = path;
    if (url === null) {
      const html = await (await fetch(`${a.url}/graphql`, { headers: { accept: 'text/html' } })).text();
      url = /src="([^"]+boot\.js[^"]*)"/.exec(html)![1]!;
    }
    const res = await fetch(`${a.url}${url}`, { headers });
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps them on a 404, which is JSON rather than a page', async () => {
    const res = await fetch(`${a.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('sets them on GraphQL answers, refusals included', async () => {
    const ok = await a.gql('{ viewer { id } }', {}, { seller: uniqueId('sec') });
    const refused = await a.gql('{ viewer { id } }', {}, { seller: null });
    for (const res of [ok, refused]) expect(res.headers.get('content-security-policy')).toBe(CSP);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${a.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it('answers a preflight from an allowed origin', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('gives an allowed origin the answer, with Retry-After readable', async () => {
    const token = await a.token(uniqueId('cors'));
    const res = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { origin: ALLOWED, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
  });

  it('does not allow any other origin', async () => {
    const res = await preflight('https://evil.example.net');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no cross-origin caller without CORS_ORIGINS', async () => {
    const plain = await startTestApi();
    try {
      const res = await fetch(`${plain.url}/graphql`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});

describe('automatic persisted queries', () => {
  it('registers a query on one instance and runs it by hash on another', async () => {
    const seller = uniqueId('apq');
    const query = `query ApqViewer { viewer { id } } # ${seller}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash };

    const send = (api: TestApi, body: Record<string, unknown>) =>
      api.token(seller).then((token) =>
        fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } })),
      );

    const unknown = await send(b, { extensions: { persistedQuery } });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await send(a, { query, extensions: { persistedQuery } });
    expect(registered.body.data).toEqual({ viewer: { id: sellerNodeId(seller) } });
    const byHash = await send(b, { extensions: { persistedQuery } });
    expect(byHash.status).toBe(200);
    expect(byHash.body.data).toEqual({ viewer: { id: sellerNodeId(seller) } });

    const ttl = await a.infra.redis.ttl(`${a.infra.config.redisPrefix}:apq:${sha256Hash}`);
    expect(ttl).toBeGreaterThan(86_000);
  });
});
