import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFastGraphqlRequest } from '../../src/http/graphql-fast-path.js';
import { securityHeaderWriter } from '../../src/http/security.js';
import { startTestApi, type TestApi } from '../support/api.js';

// POST /graphql with a plain JSON body is served ahead of Express (src/http/graphql-fast-path.ts);
// the same request with a content type only Express reads as JSON ("application/json ; ...") still
// goes through the Express app. Both must answer alike, headers included.
const FAST_TYPE = 'application/json';
const EXPRESS_TYPE = 'application/json ; charset=utf-8';
const ORIGIN = 'https://shop.example.com';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ CORS_ORIGINS: ORIGIN });
});
afterAll(() => api?.stop());

function fakeRequest(method: string, url: string, headers: Record<string, string>): IncomingMessage {
  return { method, url, headers } as unknown as IncomingMessage;
}

/** The headers that vary between two identical requests. */
const VARYING = new Set(['date', 'x-request-id', 'keep-alive', 'connection']);

async function answer(path: string, init: { contentType: string; body: string | Buffer; headers?: Record<string, string> }) {
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': init.contentType, ...init.headers }, body: init.body });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !VARYING.has(name)));
  return { status: res.status, headers, body: await res.text(), requestId: res.headers.get('x-request-id') };
}

describe('which requests take the fast path', () => {
  it.each([
    ['/graphql', FAST_TYPE],
    ['/graphql?op=x', FAST_TYPE],
    ['/graphql/', FAST_TYPE],
    ['/GraphQL', 'Application/JSON'],
    ['/graphql', 'application/json; charset=utf-8'],
    ['/graphql', 'application/json;charset="UTF-8"'],
  ])('POST %s as %s', (url, contentType) => {
    expect(isFastGraphqlRequest(fakeRequest('POST', url, { 'content-type': contentType, 'content-length': '2' }))).toBe(true);
  });

  it.each([
    ['GET', '/graphql', { 'content-type': FAST_TYPE, 'content-length': '2' }],
    ['POST', '/graphql/stream', { 'content-type': FAST_TYPE, 'content-length': '2' }],
    ['POST', '/graphqlx', { 'content-type': FAST_TYPE, 'content-length': '2' }],
    ['POST', '//graphql', { 'content-type': FAST_TYPE, 'content-length': '2' }],
    ['POST', '/graphql', { 'content-type': 'text/plain', 'content-length': '2' }],
    ['POST', '/graphql', { 'content-type': 'application/json; charset=latin1', 'content-length': '2' }],
    ['POST', '/graphql', { 'content-type': 'application/json; charset=utf8', 'content-length': '2' }],
    ['POST', '/graphql', { 'content-type': FAST_TYPE, 'content-length': '2', 'content-encoding': 'gzip' }],
    ['POST', '/graphql', { 'content-type': FAST_TYPE }],
    ['POST', '/graphql', {}],
  ])('not %s %s with %j: Express answers it', (method, url, headers) => {
    expect(isFastGraphqlRequest(fakeRequest(method, url, headers as Record<string, string>))).toBe(false);
  });
});

describe('POST /graphql on the fast path answers as the Express app', () => {
  const query = JSON.stringify({ query: '{ __typename }' });
  it.each([
    ['a query', query],
    ['a body with a byte order mark', `\uFEFF${query}`],
    ['an empty body', ''],
    ['malformed JSON', '{"query":'],
    ['JSON that is not an object or array', '"{ __typename }"'],
    ['JSON with whitespace before the object', ` \n\t${query}`],
    ['a batch', `[${query}]`],
    ['a registration of a persisted query without a token', JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } })],
    ['a body over 1 MB', JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024) } })],
  ])('%s', async (_name, body) => {
    const fast = await answer('/graphql', { contentType: FAST_TYPE, body });
    const viaExpress = await answer('/graphql', { contentType: EXPRESS_TYPE, body });
    expect(fast).toEqual({ ...viaExpress, requestId: fast.requestId });
    expect(fast.requestId).toMatch(/^[\w-]+$/);
  });

  it('decodes invalid UTF-8 as express.json does', async () => {
    const body = Buffer.concat([Buffer.from('{"query":"{ __typename }","operationName":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const fast = await answer('/graphql', { contentType: FAST_TYPE, body });
    expect(fast.status).toBe(400);
    expect(fast).toEqual({ ...(await answer('/graphql', { contentType: EXPRESS_TYPE, body })), requestId: fast.requestId });
  });

  it('refuses a token that is not valid with the same 401', async () => {
    const headers = { authorization: 'Bearer not-a-token' };
    const fast = await answer('/graphql', { contentType: FAST_TYPE, body: query, headers });
    expect(fast.status).toBe(401);
    expect(fast).toEqual({ ...(await answer('/graphql', { contentType: EXPRESS_TYPE, body: query, headers })), requestId: fast.requestId });
  });

  it('sends CORS headers to a configured origin only, as on Express', async () => {
    for (const origin of [ORIGIN, 'https://evil.example.com']) {
      const fast = await answer('/graphql', { contentType: FAST_TYPE, body: query, headers: { origin } });
      expect(fast).toEqual({ ...(await answer('/graphql', { contentType: EXPRESS_TYPE, body: query, headers: { origin } })), requestId: fast.requestId });
      expect(fast.headers['access-control-allow-origin'], origin).toBe(origin === ORIGIN ? ORIGIN : undefined);
    }
  });

  it('echoes a sane X-Request-Id', async () => {
    const fast = await answer('/graphql', { contentType: FAST_TYPE, body: query, headers: { 'x-request-id': 'trace-42' } });
    expect(fast.requestId).toBe('trace-42');
  });

  it('serves /graphql with a query string, a trailing slash or in capitals, as Express routes app.post("/graphql")', async () => {
    for (const path of ['/graphql?op=1', '/graphql/', '/GRAPHQL', '/GraphQL/?a=b']) {
      const res = await answer(path, { contentType: FAST_TYPE, body: query });
      expect(res.status, path).toBe(200);
      expect(JSON.parse(res.body), path).toMatchObject({ data: { __typename: 'Query' } });
    }
    expect((await answer('/graphqlx', { contentType: FAST_TYPE, body: query })).status).toBe(404);
  });

  it('sends the security headers every other route sends', async () => {
    const names: string[] = [];
    securityHeaderWriter()({ setHeader: (name: string) => void names.push(name.toLowerCase()), removeHeader: () => undefined } as never);
    expect(names).toContain('content-security-policy');
    const health = await fetch(`${api.url}/healthz`);
    const fast = await answer('/graphql', { contentType: FAST_TYPE, body: query });
    for (const name of names) expect(fast.headers[name], name).toBe(health.headers.get(name) ?? undefined);
    expect(fast.headers['x-powered-by']).toBeUndefined();
  });

  it('observes the request under route /graphql in the metrics', async () => {
    await answer('/graphql', { contentType: FAST_TYPE, body: query });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} [1-9]/m);
  });
});
