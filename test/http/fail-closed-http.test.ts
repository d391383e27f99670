import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_IDLE_CLOSE } from '../../src/http/slow-clients.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { JWT_SECRET } from '../support/env.js';
import { signToken } from '../../src/graphql/auth.js';
import { subscribeWs, wsClient } from '../support/subscriptions.js';
import { waitFor } from '../support/wait.js';
import { sellerNodeId } from '../support/ids.js';

const key = new TextEncoder().encode(JWT_SECRET);
const strong = () => randomBytes(32).toString('base64');
const INTROSPECTION = '{ __schema { queryType { name } } }';

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

let dev: TestApi;
let prod: TestApi;
const METRICS_TOKEN = strong();
const PROD_JWT_SECRET = strong();
beforeAll(async () => {
  [dev, prod] = await Promise.all([
    startTestApi({ JWT_MAX_LIFETIME_SECONDS: '3600', HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '2000', WS_IDLE_TIMEOUT_MS: '3000' }),
    // production as the README configures it; its token secret is not the tests' one
    startTestApi({ NODE_ENV: 'production', JWT_SECRET: PROD_JWT_SECRET, WEBHOOK_SECRET_KEY: strong() }),
  ]);
});
afterAll(() => Promise.all([dev?.stop(), prod?.stop()]));

describe('tokens', () => {
  it('refuses a token without exp: a leaked one would be valid forever', async () => {
    const forever = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('no-exp').setIssuedAt().sign(key);
    const res = await post(dev.url, '{ viewer { id } }', { authorization: `Bearer ${forever}` });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]).toMatchObject({ message: 'The token has no exp: tokens must expire', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a token that lives longer than JWT_MAX_LIFETIME_SECONDS, and accepts one within it', async () => {
    const long = await dev.token('long-lived', { expiresIn: 3601 });
    const res = await post(dev.url, '{ viewer { id } }', { authorization: `Bearer ${long}` });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.message).toBe('The token lives longer than the allowed 3600 s');
    const ok = await post(dev.url, '{ viewer { id } }', { authorization: `Bearer ${await dev.token('short-lived', { expiresIn: 3600 })}` });
    expect(ok.body.data).toEqual({ viewer: { id: sellerNodeId('short-lived') } });
  });
});

describe('in production', () => {
  it('serves no GraphiQL page', async () => {
    const page = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    expect((await fetch(`${dev.url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  it('refuses introspection, with or without a token', async () => {
    const anonymous = await post(prod.url, INTROSPECTION);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await post(dev.url, INTROSPECTION)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses introspection over WebSocket and SSE as over HTTP, even with a token', async () => {
    const authorization = `Bearer ${await signToken(PROD_JWT_SECRET, 'introspector')}`;
    const client = wsClient(prod.url, authorization);
    try {
      const ws = subscribeWs(client, INTROSPECTION);
      await ws.waitFor((r) => r.errors.length > 0 || r.completed, 10_000, 'the WebSocket answer');
      expect(ws.values).toEqual([]);
      expect(JSON.stringify(ws.errors)).toMatch(/introspection has been disabled/);
    } finally {
      await client.dispose();
    }
    const sse = await fetch(`${prod.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    expect(sse.status).toBe(400);
    expect(await sse.text()).toMatch(/introspection has been disabled/);
  });

  it('does not serve /metrics without METRICS_TOKEN', async () => {
    expect((await fetch(`${prod.url}/metrics`)).status).toBe(404);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ NODE_ENV: 'production', JWT_SECRET: strong(), WEBHOOK_SECRET_KEY: strong(), METRICS_TOKEN, GRAPHIQL_ENABLED: 'true', INTROSPECTION_ENABLED: 'true' });
  });
  afterAll(() => api?.stop());

  it('answers only a bearer of the token', async () => {
    const none = await fetch(`${api.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${strong()}` } })).status).toBe(401);
    const ok = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('http_request_duration_seconds');
  });

  it('turns GraphiQL and introspection on in production when the settings say so', async () => {
    expect(await (await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } })).text()).toMatch(/graphiql/i);
    expect((await post(api.url, INTROSPECTION)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('AUTH_MODE=gateway with GATEWAY_SECRET', () => {
  let api: TestApi;
  const GATEWAY_SECRET = strong();
  beforeAll(async () => {
    api = await startTestApi({ AUTH_MODE: 'gateway', GATEWAY_SECRET });
  });
  afterAll(() => api?.stop());

  it('refuses every request without the secret, so X-Seller-Id cannot be forged from outside', async () => {
    const forged = await post(api.url, '{ viewer { id } }', { 'x-seller-id': 'victim' });
    expect(forged.status).toBe(401);
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await post(api.url, '{ viewer { id } }', { 'x-seller-id': 'victim', 'x-gateway-secret': strong() })).status).toBe(401);
    expect((await fetch(`${api.url}/exports/00000000-0000-0000-0000-000000000000`, { headers: { 'x-seller-id': 'victim' } })).status).toBe(401);
    const fromGateway = await post(api.url, '{ viewer { id } }', { 'x-seller-id': 'victim', 'x-gateway-secret': GATEWAY_SECRET });
    expect(fromGateway.body.data).toEqual({ viewer: { id: sellerNodeId('victim') } });
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200); // probes do not pass the gateway
  });
});

describe('slow clients', () => {
  it('cuts off a client that sends its headers too slowly (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const { port } = new URL(dev.url);
    const socket = connect(Number(port), '127.0.0.1');
    let closed = false;
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // and never the blank line
    // Node's defaults (60 s for headers, checked every 30 s) would hold it far longer than this wait
    await waitFor(async () => (closed ? true : undefined), 'the server to close the slow connection', 15_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a WebSocket that runs no operation for WS_IDLE_TIMEOUT_MS, never one holding a subscription', async () => {
    const authorization = `Bearer ${await dev.token('ws-idle', { expiresIn: 600 })}`;
    const busy = wsClient(dev.url, authorization);
    const subscription = subscribeWs(busy, 'subscription { lowStockWarnings { productId } }');
    // one socket's messages are handled in order: once this query is answered, the subscription is running
    await new Promise((resolve, reject) => busy.subscribe({ query: '{ viewer { id } }' }, { next: () => undefined, error: reject, complete: () => resolve(null) }));
    const idle = wsClient(dev.url, authorization);
    expect(await idle.closeCode).toBe(WS_IDLE_CLOSE.code);
    let busyClosed = false;
    void busy.closeCode.then(() => (busyClosed = true));
    // the idle one, opened after, is gone; the subscribed one is still there
    expect(busyClosed).toBe(false);
    expect(subscription.completed).toBe(false);
    subscription.unsubscribe?.();
    expect(await busy.closeCode).toBe(WS_IDLE_CLOSE.code); // idle again once its subscription ended
    await busy.dispose();
    await idle.dispose();
  });
});
