import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/modules/events/event.model.js';
import { listEvents } from '../../src/modules/events/events.repository.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeWs, wsClient, type Subscription } from '../support/subscriptions.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { keyOf } from '../support/ids.js';

const SELLER = 'fanout-groups';
const PER_DOCUMENT = 100;
const EVENTS = 100;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
});
afterAll(() => api?.stop());

type Value = Record<string, unknown>;

/** Five documents: different selections, variables and filters; what each must receive per event. */
function documents(p1: string, p2: string) {
  return [
    {
      query: 'subscription All { productEvents { sequence } }',
      variables: {},
      expect: (e: EventRecord): Value | null => ({ sequence: e.sequence }),
    },
    {
      query: 'subscription Updates($types: [EventType!]) { productEvents(types: $types) { sequence eventType cursor } }',
      variables: { types: ['PRODUCT_UPDATED'] },
      expect: (e: EventRecord): Value | null => (e.type === 'ProductUpdated' ? { sequence: e.sequence, eventType: 'PRODUCT_UPDATED', cursor: expect.any(String) } : null),
    },
    {
      query: 'subscription OfP1($ids: [ID!]) { productEvents(productIds: $ids) { __typename sequence productId ... on ProductUpdated { changes { name } } } }',
      variables: { ids: [p1] },
      expect: (e: EventRecord): Value | null =>
        e.productId !== keyOf(p1)
          ? null
          : e.type === 'ProductUpdated'
            ? { __typename: 'ProductUpdated', sequence: e.sequence, productId: p1, changes: { name: e.payload.changes!.name } }
            : { __typename: e.type, sequence: e.sequence, productId: p1 },
    },
    {
      query: 'subscription Low { lowStockWarnings { sequence productId currentQuantity threshold } }',
      variables: {},
      expect: (e: EventRecord): Value | null => (e.type === 'LowStockWarning' ? { sequence: e.sequence, productId: toGlobalId('Product', e.productId), currentQuantity: expect.any(Number), threshold: 3 } : null),
    },
    {
      query: 'subscription Stock($ids: [ID!]) { stockLevels(productIds: $ids) { productId quantity } }',
      variables: { ids: [p2] },
      expect: (e: EventRecord): Value | null =>
        e.productId === keyOf(p2) && e.type === 'ProductUpdated' && e.payload.changes && 'quantity' in e.payload.changes
          ? { productId: p2, quantity: e.payload.product!.quantity }
          : null,
    },
  ];
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('fan-out by subscription group', () => {
  it('sends 500 subscribers over 5 documents exactly their own shape for 100 events, in order, executing each group once per event', async () => {
    const created = await Promise.all(
      ['P1', 'P2'].map((name) => api.services.catalog.createProduct(SELLER, { name, price: new Decimal('1.00'), category: 'C', quantity: 50, lowStockThreshold: 3 })),
    );
    const [p1, p2] = created.map((r) => toGlobalId('Product', r.product!.id)) as [string, string];
    const docs = documents(p1, p2);

    const token = `Bearer ${await api.token(SELLER)}`;
    const clients = Array.from({ length: 10 }, () => wsClient(api.url, token));
    const subs: { doc: number; sub: Subscription<Value> }[] = [];
    // in batches: 500 stock snapshots and cursor reads at once would only measure the pool
    for (let i = 0; i < docs.length * PER_DOCUMENT; i++) {
      const doc = i % docs.length;
      subs.push({ doc, sub: subscribeWs<Value>(clients[i % clients.length]!, docs[doc]!.query, docs[doc]!.variables) });
      if (subs.length % 50 === 0) await eventually(() => api.infra.bus.streamCount === subs.length, 60_000, `${subs.length} subscribed`);
    }
    await eventually(() => metric('amused_subscription_groups').then((n) => n === docs.length), 10_000, 'five groups');
    const stock = subs.filter((s) => s.doc === 4);
    await Promise.all(stock.map((s) => s.sub.waitFor((r) => r.values.length === 1, 30_000, 'stock snapshot')));
    const head = (await listEvents(api.infra.db, SELLER, 0, 1000)).at(-1)!.sequence;
    const executionsBefore = await metric('amused_subscription_executions_total');

    // even: rename P1; odd: set P2's quantity, crossing its threshold now and then (LowStockWarning)
    for (let k = 0; k < EVENTS; k++) {
      const result =
        k % 2 === 0 ? await api.services.catalog.updateProduct(SELLER, p1, { name: `P1 #${k}` }) : await api.services.catalog.updateProduct(SELLER, p2, { quantity: k % 10 });
      expect(result.userErrors).toEqual([]);
    }
    const events = await listEvents(api.infra.db, SELLER, head, 1000);
    expect(events.length).toBeGreaterThanOrEqual(EVENTS);
    const expected = docs.map((d) => events.map(d.expect).filter((v): v is Value => v !== null));
    expect(expected.every((list) => list.length > 0)).toBe(true);

    for (const { doc, sub } of subs) {
      const own = doc === 4 ? 1 : 0; // stockLevels first sends the snapshot
      await sub.waitFor((r) => r.values.length >= own + expected[doc]!.length, 60_000, `document ${doc}`);
    }
    for (const { doc, sub } of subs) {
      const own = doc === 4 ? 1 : 0;
      expect(sub.errors).toEqual([]);
      expect(sub.values.slice(own)).toEqual(expected[doc]);
      for (const value of sub.values.slice(own)) expect(Object.keys(value).sort()).toEqual(Object.keys(expected[doc]![0]!).sort());
    }

    // one execution per group and accepted event, whatever the number of members
    const executions = (await metric('amused_subscription_executions_total')) - executionsBefore;
    expect(executions).toBe(expected.reduce((n, list) => n + list.length, 0));

    for (const { sub } of subs) sub.unsubscribe();
    await Promise.all(clients.map((c) => c.dispose()));
    await eventually(() => api.infra.bus.streamCount === 0, 20_000, 'released');
    expect(await metric('amused_subscription_groups')).toBe(0);
  }, 240_000);
});
