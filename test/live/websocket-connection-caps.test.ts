import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE } from '../../src/graphql/transports/websocket.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribeWs, wsClient } from '../support/subscriptions.js';
import { sellerNodeId } from '../support/ids.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ WS_CONNECTIONS_MAX_PER_SELLER: '2', WS_CONNECTIONS_MAX_PER_ADDRESS: '3' });
});
afterAll(() => api?.stop());

async function connected(client: ReturnType<typeof wsClient>) {
  const sub = subscribeWs<{ id: string }>(client, '{ viewer { id } }');
  await sub.waitFor((r) => r.completed, 10_000, 'a query over the connection');
  return sub.values;
}

describe('WebSocket connection caps', () => {
  it('closes a seller’s connection over WS_CONNECTIONS_MAX_PER_SELLER with 4029, and admits one when another closes', async () => {
    const token = `Bearer ${await api.token('ws-cap-seller')}`;
    const a = wsClient(api.url, token);
    const b = wsClient(api.url, token);
    expect(await connected(a)).toEqual([{ id: sellerNodeId('ws-cap-seller') }]);
    expect(await connected(b)).toEqual([{ id: sellerNodeId('ws-cap-seller') }]);
    const c = wsClient(api.url, token);
    expect(await c.closeCode).toBe(WS_CLOSE.TooManyConnections);
    expect(WS_CLOSE.TooManyConnections).toBe(4029);

    await a.dispose();
    await a.closeCode;
    const d = wsClient(api.url, token);
    expect(await connected(d)).toEqual([{ id: sellerNodeId('ws-cap-seller') }]);
    await Promise.all([b.dispose(), d.dispose()]);
  });

  it('closes a client address’s connection over WS_CONNECTIONS_MAX_PER_ADDRESS, whatever the sellers', async () => {
    const clients = await Promise.all(['x1', 'x2', 'x3'].map(async (s) => wsClient(api.url, `Bearer ${await api.token(`ws-cap-${s}`)}`)));
    for (const client of clients) expect(await connected(client)).toHaveLength(1);
    const fourth = wsClient(api.url, `Bearer ${await api.token('ws-cap-x4')}`);
    expect(await fourth.closeCode).toBe(WS_CLOSE.TooManyConnections);
    await Promise.all(clients.map((c) => c.dispose()));
  });
});
