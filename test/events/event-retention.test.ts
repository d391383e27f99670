import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCursor } from '../../src/modules/events/event.cursor.js';
import { EventRetention } from '../../src/modules/events/event-retention.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const Create = 'mutation RetentionCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }';
const Events = 'query RetentionEvents($after: String) { events(first: 100, after: $after) { nodes { sequence } } }';
const Live = 'subscription RetentionLive($after: String) { productEvents(after: $after) { sequence } }';

let api: TestApi;
const seller = 'retention-seller';
const other = 'retention-other';
beforeAll(async () => {
  api = await startTestApi();
  for (let i = 0; i < 6; i++) await api.gql(Create, { input: { name: `R${i}`, price: '1', category: 'C' } }, { seller });
  for (let i = 0; i < 2; i++) await api.gql(Create, { input: { name: `Other${i}`, price: '1', category: 'C' } }, { seller: other });
  // the first four events of the seller (and both of the other seller's) are 100 days old
  await api.infra.db.$executeRaw`UPDATE events SET created_at = now() - interval '100 days' WHERE (seller_id = ${seller} AND sequence <= 4) OR seller_id = ${other}`;
  const retention = new EventRetention(api.infra.db, { days: 90, trimIntervalMs: 3_600_000 }, api.infra.log);
  expect(await retention.trim()).toBe(6);
  expect(await retention.trim()).toBe(0);
});
afterAll(() => api?.stop());

describe('event retention', () => {
  it('deletes only events older than EVENT_RETENTION_DAYS', async () => {
    const kept = await api.infra.db.event.findMany({ where: { sellerId: { in: [seller, other] } }, orderBy: { sequence: 'asc' }, select: { sellerId: true, sequence: true } });
    expect(kept).toEqual([
      { sellerId: seller, sequence: 5 },
      { sellerId: seller, sequence: 6 },
    ]);
  });

  it('answers CURSOR_EXPIRED with the oldest cursor still available to the events query', async () => {
    const res = await api.gql(Events, { after: eventCursor(seller, 2) }, { seller });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', oldestCursor: eventCursor(seller, 4) });
    expect(res.data).toBeNull();

    const resumed = await api.gql<{ events: { nodes: { sequence: number }[] } }, unknown>(Events, { after: eventCursor(seller, 4) }, { seller });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.events.nodes.map((n) => n.sequence)).toEqual([5, 6]);
    // no cursor: the log as kept; a cursor at the head is not expired
    expect((await api.gql<{ events: { nodes: unknown[] } }, unknown>(Events, {}, { seller })).data!.events.nodes).toHaveLength(2);
    expect((await api.gql(Events, { after: eventCursor(seller, 6) }, { seller })).errors).toBeUndefined();
  });

  it('says CURSOR_EXPIRED when every event of the seller was trimmed, pointing at the head', async () => {
    const res = await api.gql(Events, { after: eventCursor(other, 1) }, { seller: other });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', oldestCursor: eventCursor(other, 2) });
    const atHead = await api.gql<{ events: { nodes: unknown[] } }, unknown>(Events, { after: eventCursor(other, 2) }, { seller: other });
    expect(atHead.errors).toBeUndefined();
    expect(atHead.data!.events.nodes).toEqual([]);
  });

  it('refuses to resume a subscription from an expired cursor over WebSocket and SSE', async () => {
    const authorization = `Bearer ${await api.token(seller)}`;
    const client = wsClient(api.url, authorization);
    const ws = subscribeWs<{ sequence: number }>(client, Live, { after: eventCursor(seller, 1) });
    await ws.waitFor((r) => r.errors.length > 0 || r.completed, 10_000, 'the WebSocket refusal');
    expect(ws.errors[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', oldestCursor: eventCursor(seller, 4) });
    expect(ws.values).toEqual([]);

    const sse = subscribeSse<{ sequence: number }>(api.url, authorization, Live, { after: eventCursor(seller, 3) });
    await sse.waitFor((r) => r.errors.length > 0 || r.completed, 10_000, 'the SSE refusal');
    expect(sse.errors[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', oldestCursor: eventCursor(seller, 4) });
    sse.unsubscribe();

    const resumed = subscribeWs<{ sequence: number }>(client, Live, { after: eventCursor(seller, 4) });
    await resumed.waitFor((r) => r.values.length >= 2, 10_000, 'the kept events');
    expect(resumed.values.map((v) => v.sequence)).toEqual([5, 6]);
    resumed.unsubscribe();
    await client.dispose();
  });
});
