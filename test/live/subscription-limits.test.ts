import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const Events = 'subscription { productEvents { sequence } }';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ SUBSCRIPTIONS_MAX_PER_SELLER: '4', SUBSCRIPTIONS_MAX_PER_CONNECTION: '3' }, { worker: true });
});
afterAll(() => api?.stop());

describe('subscription limits', () => {
  it('caps subscriptions per connection, and frees the slot when one ends', async () => {
    const client = wsClient(api.url, `Bearer ${await api.token('slots-conn')}`);
    const subs = [1, 2, 3].map(() => subscribeWs(client, Events));
    await eventually(() => api.infra.bus.streamCount === 3, 5000, 'three live');
    const fourth = subscribeWs(client, Events);
    await fourth.waitFor((r) => r.completed, 5000, 'refusal');
    expect(fourth.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'SUBSCRIPTIONS_PER_CONNECTION' });

    subs[0]!.unsubscribe();
    await eventually(() => api.infra.bus.streamCount === 2, 5000, 'one released');
    const again = subscribeWs(client, Events);
    await eventually(() => api.infra.bus.streamCount === 3, 5000, 'slot reused');
    for (const s of [...subs, again]) s.unsubscribe();
    await client.dispose();
    await eventually(() => api.infra.bus.streamCount === 0, 5000, 'all released');
  });

  it('caps subscriptions per seller across connections and transports', async () => {
    const token = `Bearer ${await api.token('slots-seller')}`;
    const a = wsClient(api.url, token);
    const b = wsClient(api.url, token);
    const held = [subscribeWs(a, Events), subscribeWs(a, Events), subscribeWs(b, Events), subscribeWs(b, Events)];
    await eventually(() => api.infra.bus.streamCount === 4, 5000, 'four live');
    const overWs = subscribeWs(b, Events);
    await overWs.waitFor((r) => r.completed, 5000, 'ws refusal');
    expect(overWs.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'SUBSCRIPTIONS_PER_SELLER' });

    const res = await fetch(`${api.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: token },
      body: JSON.stringify({ query: Events }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED', reason: 'SUBSCRIPTIONS_PER_SELLER' } }] });

    // another seller is not affected
    const other = subscribeSse(api.url, `Bearer ${await api.token('slots-other')}`, Events);
    await eventually(() => api.infra.bus.streamCount === 5, 5000, "other seller's stream");
    other.unsubscribe();
    for (const s of held) s.unsubscribe();
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('refuses a subscription over the shape limits before it starts', async () => {
    const client = wsClient(api.url, `Bearer ${await api.token('slots-shape')}`);
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: sequence`).join(' ');
    const deep = subscribeWs(client, `subscription { productEvents { ${aliases} } }`);
    await deep.waitFor((r) => r.completed, 5000, 'refusal');
    expect(deep.errors[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'ALIASES' });
    await client.dispose();
  });
});
