import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE } from '../../src/graphql/transports/websocket.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { JWT_SECRET } from '../support/env.js';
import { subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const Events = 'subscription { productEvents { sequence } }';
const secret = new TextEncoder().encode(JWT_SECRET);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
});
afterAll(() => api?.stop());

const expired = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('t').setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(secret);
const badTokens: [string, () => Promise<string>][] = [
  ['bad signature', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('t').sign(new TextEncoder().encode('y'.repeat(40)))],
  ['alg none', async () => new UnsecuredJWT({}).setSubject('t').encode()],
  ['expired', expired],
];

describe('WebSocket authentication', () => {
  it('closes with 4401 when connection_init carries no token', async () => {
    const client = wsClient(api.url);
    expect(await client.closeCode).toBe(WS_CLOSE.Unauthorized);
    expect(WS_CLOSE.Unauthorized).toBe(4401);
  });

  it.each(badTokens)('closes with 4403 for a token with %s', async (_kind, make) => {
    const client = wsClient(api.url, `Bearer ${await make()}`);
    expect(await client.closeCode).toBe(4403);
  });

  it('closes with 4419 when the token expires on an open connection', async () => {
    const token = await api.token('ws-expiring', { expiresIn: 2 });
    const client = wsClient(api.url, `Bearer ${token}`);
    const sub = subscribeWs(client, Events);
    expect(await client.closeCode).toBe(WS_CLOSE.TokenExpired);
    expect(WS_CLOSE.TokenExpired).toBe(4419);
    await sub.waitFor((r) => r.completed, 2000, 'subscription ended');
  }, 10_000);
});

describe('SSE authentication', () => {
  it('answers 401 without a token', async () => {
    const res = await fetch(`${api.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: Events }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it.each(badTokens)('answers 401 for a token with %s', async (_kind, make) => {
    const res = await fetch(`${api.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await make()}` },
      body: JSON.stringify({ query: Events }),
    });
    expect(res.status).toBe(401);
  });

  it('ends the stream when the token expires, so the client reconnects with a fresh one', async () => {
    const token = await api.token('sse-expiring', { expiresIn: 2 });
    const sub = subscribeSse(api.url, `Bearer ${token}`, Events);
    await sub.waitFor((r) => r.completed, 5000, 'stream ended at expiry');
  }, 10_000);
});
