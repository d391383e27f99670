import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventCursor } from '../../src/modules/events/event.cursor.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, wsUrl } from '../support/subscriptions.js';

const SELLER = 'slow-consumer';
const EVENTS = 3000;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ SUBSCRIPTION_BUFFER_BYTES: '65536', SUBSCRIPTION_BUFFER_EVENTS: '100' });
  // a large log written straight to the tables: ~10 kB per event, ~30 MB in all
  await api.infra.db.$executeRawUnsafe(`INSERT INTO sellers (id, event_sequence) VALUES ('${SELLER}', ${EVENTS})`);
  await api.infra.db.$executeRawUnsafe(`
    INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
    SELECT '${SELLER}', i, '${SELLER}-1-ProductUpdated-' || i, 'ProductUpdated', 1,
      jsonb_build_object('sellerId', '${SELLER}', 'productId', 1, 'changes', jsonb_build_object('description', repeat('d', 10000)),
        'product', jsonb_build_object('id', 1, 'sku', null, 'name', 'Big', 'description', repeat('d', 10000), 'price', '1.00',
          'category', 'C', 'quantity', 1, 'reserved', 0, 'lowStockThreshold', 0, 'version', i, 'createdAt', now(), 'updatedAt', now())),
      now()
    FROM generate_series(1, ${EVENTS}) AS i`);
});
afterAll(() => api?.stop());

type Message = { type: string; id?: string; payload?: { data?: { productEvents?: { sequence: number } } | null; errors?: { message: string; extensions: { code: string; cursor: string } }[] } };

describe('a subscriber that reads too slowly', () => {
  it('is ended with RESUME_FROM_CURSOR and the cursor of the last event it was sent', async () => {
    const socket = new WebSocket(wsUrl(api.url), 'graphql-transport-ws');
    const messages: Message[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Message));
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await api.token(SELLER)}` } }));
    await eventually(() => messages.some((m) => m.type === 'connection_ack'), 5000, 'ack');

    // stop reading: the kernel buffers fill, then the server's socket buffer grows (each frame
    // carries the 10 kB description; a few bytes each would all fit in the kernel's buffers)
    (socket as unknown as { _socket: { pause: () => void } })._socket.pause();
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription ($after: String) { productEvents(after: $after) { sequence ... on ProductUpdated { product { description } } } }', variables: { after: eventCursor(SELLER, 0) } } }));
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'stream open');
    await eventually(() => api.infra.bus.streamCount === 0, 20_000, 'server ended the slow subscription');

    (socket as unknown as { _socket: { resume: () => void } })._socket.resume();
    await eventually(() => messages.some((m) => m.type === 'complete'), 10_000, 'complete');
    const nexts = messages.filter((m) => m.type === 'next');
    const events = nexts.filter((m) => m.payload?.data).map((m) => m.payload!.data!.productEvents!.sequence);
    const last = nexts.at(-1)!;
    expect(last.payload?.errors?.[0]?.extensions.code).toBe('RESUME_FROM_CURSOR');
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(EVENTS);
    expect(events).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(last.payload!.errors![0]!.extensions.cursor).toBe(eventCursor(SELLER, events.at(-1)!));
    socket.close();
  }, 60_000);
});
