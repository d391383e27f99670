import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/modules/events/events.repository.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const SELLER = 'live-role';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ ROLE: 'live' });
});
afterAll(() => api?.stop());

describe('ROLE=live', () => {
  it('serves subscriptions over WebSocket and SSE, and refuses queries and mutations', async () => {
    const token = `Bearer ${await api.token(SELLER)}`;
    const client = wsClient(api.url, token);
    const ws = subscribeWs<{ sequence: number }>(client, 'subscription { productEvents { sequence } }');
    const sse = subscribeSse<{ sequence: number }>(api.url, token, 'subscription { productEvents { sequence } }');
    await eventually(() => api.infra.bus.streamCount === 2, 10_000, 'both subscribed');
    await api.services.catalog.createProduct(SELLER, { name: 'Live', price: new Decimal('1.00'), category: 'C' });
    // no worker here: publish what the relay would
    const [event] = await listEvents(api.infra.db, SELLER, 0, 1);
    await api.infra.bus.publish(event!);
    await ws.waitFor((r) => r.values.length === 1, 10_000, 'ws event');
    await sse.waitFor((r) => r.values.length === 1, 10_000, 'sse event');
    expect(ws.values).toEqual([{ sequence: 1 }]);
    expect(sse.values).toEqual([{ sequence: 1 }]);

    const mutation = subscribeWs(client, 'mutation { deleteProduct(id: "1") { userErrors { code } } }');
    await mutation.waitFor((r) => r.completed, 10_000, 'refusal');
    expect(mutation.errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });

    const http = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: '{"query":"{ viewer { id } }"}' });
    expect(http.status).toBe(404);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);

    ws.unsubscribe();
    sse.unsubscribe();
    await client.dispose();
  }, 60_000);
});
