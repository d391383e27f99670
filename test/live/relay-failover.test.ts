import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/modules/events/event.model.js';
import { OutboxRelay } from '../../src/modules/events/live/outbox-relay.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeWs, wsClient } from '../support/subscriptions.js';

const Create = graphql(`
  mutation FailoverCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }
`);
const Events = 'subscription { productEvents { sequence } }';

// no worker: these tests run relays by hand
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const create = (seller: string, name: string) => api.gql(Create, { input: { name, price: '1', category: 'C' } }, { seller });
const position = async (seller: string) => (await api.infra.db.relayPosition.findUnique({ where: { sellerId: seller } }))?.sequence ?? 0;

function relay(publish?: (events: EventRecord[]) => Promise<void>, options: { pollMs?: number; onWake?: (wake: () => void) => void } = {}) {
  return new OutboxRelay(
    api.infra.db,
    {
      databaseUrl: api.infra.config.databaseUrl,
      pollMs: options.pollMs ?? 5000, // long, so these tests see the after-commit wake-up move the relay
      lockRetryMs: 100,
      publish: publish ?? ((events) => api.infra.bus.publishBatch(events)),
      wakeups: (listener) => api.infra.bus.onRelayWake(options.onWake ? () => options.onWake!(listener) : listener),
    },
    api.infra.log,
  );
}

describe('outbox relay', () => {
  it('relays every seller behind in one pass: one publish holding each seller in sequence order, every position saved', async () => {
    const sellers = ['relay-pass-a', 'relay-pass-b', 'relay-pass-c'];
    for (const seller of sellers) for (let i = 0; i < 3; i++) await create(seller, `${seller} ${i}`);
    const batches: EventRecord[][] = [];
    const r = relay(async (events) => {
      batches.push(events);
      await api.infra.bus.publishBatch(events);
    });
    r.start();
    await eventually(async () => (await Promise.all(sellers.map(position))).every((p) => p === 3), 5000, 'every seller relayed');
    await r.stop();
    const ours = batches.filter((b) => b.some((e) => sellers.includes(e.sellerId)));
    expect(ours).toHaveLength(1);
    const bySeller = sellers.map((seller) => ours[0]!.filter((e) => e.sellerId === seller).map((e) => e.sequence));
    expect(bySeller).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('delivers each sequence once when the relay dies between publishing and saving its position', async () => {
    const seller = 'relay-crash';
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<{ sequence: number }>(client, Events);
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'subscribed');
    for (let i = 0; i < 5; i++) await create(seller, `C${i}`);

    let published = 0;
    const dying = relay(async (events) => {
      for (const e of events) await api.infra.bus.publish(e);
      published += events.length;
      throw new Error('relay process killed before it saved its position');
    });
    dying.start();
    await eventually(() => published >= 5, 5000, 'first relay published');
    await sub.waitFor((r) => r.values.length >= 5, 5000, 'first delivery');
    await dying.stop();
    expect(await position(seller)).toBe(0);

    const successor = relay();
    successor.start();
    await eventually(async () => (await position(seller)) === 5, 5000, 'successor republished');
    await create(seller, 'After restart');
    await sub.waitFor((r) => r.values.length >= 6, 5000, 'sixth event');
    expect(sub.values.map((v) => v.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    await successor.stop();
    sub.unsubscribe();
    await client.dispose();
  });

  it('delivers each event once when the relay dies in the middle of a batch', async () => {
    const seller = 'relay-mid-batch';
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<{ sequence: number }>(client, Events);
    await eventually(() => api.infra.bus.streamCount === 1, 5000, 'subscribed');
    for (let i = 0; i < 6; i++) await create(seller, `M${i}`);

    let attempts = 0;
    const dying = relay(async (events) => {
      attempts++;
      await api.infra.bus.publishBatch(events.slice(0, 3)); // half the batch is out, then the process dies
      throw new Error('relay process killed mid-batch');
    });
    dying.start();
    await eventually(() => attempts >= 1, 5000, 'first relay tried');
    await sub.waitFor((r) => r.values.length >= 3, 5000, 'half the batch delivered');
    await dying.stop();
    expect(await position(seller)).toBe(0);

    const successor = relay();
    successor.start();
    await eventually(async () => (await position(seller)) === 6, 5000, 'successor republished the whole batch');
    await sub.waitFor((r) => r.values.length >= 6, 5000, 'the rest delivered');
    await create(seller, 'After restart');
    await sub.waitFor((r) => r.values.length >= 7, 5000, 'seventh event');
    expect(sub.values.map((v) => v.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await successor.stop();
    sub.unsubscribe();
    await client.dispose();
  });

  it('still delivers within the poll interval when the wake-up is lost', async () => {
    const seller = 'relay-lost-wakeup';
    let dropped = 0;
    const deaf = relay(undefined, { pollMs: 300, onWake: () => void dropped++ }); // every wake-up dropped on purpose
    deaf.start();
    await eventually(() => deaf.isLeader, 5000, 'leads');
    await create(seller, 'Woken by nobody');
    await eventually(() => dropped >= 1, 2000, 'the writer sent a wake-up after its commit (and the relay dropped it)');
    await eventually(async () => (await position(seller)) === 1, 1500, 'relayed by the poll, within a few 300 ms intervals');
    await deaf.stop();
  });

  it('lets one relay lead; another takes over within seconds when it dies, woken after commit', async () => {
    const seller = 'relay-failover';
    const first = relay();
    const second = relay();
    first.start();
    await eventually(() => first.isLeader, 5000, 'first leads');
    second.start();
    await new Promise((r) => setTimeout(r, 300)); // several lock retries of the second relay
    expect(second.isLeader).toBe(false);

    await create(seller, 'Before failover');
    await eventually(async () => (await position(seller)) === 1, 2000, 'relayed on the after-commit wake-up, well before the 5 s poll');

    await first.stop(); // its session and advisory lock go with it
    await eventually(() => second.isLeader, 3000, 'second takes over');
    await create(seller, 'After failover');
    await eventually(async () => (await position(seller)) === 2, 2000, 'relayed by the new leader on its wake-up, before its 5 s poll');
    await second.stop();
  });
});
