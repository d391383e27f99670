import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsConsumer, ANALYTICS_QUEUE, analyticsJobId, type AnalyticsJobData } from '../../src/modules/analytics/analytics.jobs.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually } from '../support/subscriptions.js';

const MetricsCreate = graphql(`
  mutation MetricsCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);
const MetricsUpdate = graphql(`
  mutation MetricsUpdate($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { id } } }
`);
const MetricsDelete = graphql(`
  mutation MetricsDelete($id: ID!) { deleteProduct(id: $id) { deletedProductId } }
`);
const SellerMetrics = graphql(`
  query SellerMetrics($since: DateTime) {
    sellerMetrics { productCount totalUnits inventoryValue lowStockCount outOfStockCount eventCounts(since: $since) { eventType count } all: eventCounts { eventType count } }
  }
`);
const MetricsEvents = graphql(`
  query MetricsEvents { events(first: 100) { nodes { eventId eventType timestamp sequence } } }
`);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
});
afterAll(async () => {
  await api?.stop();
});

const metrics = async (seller: string, since?: string) => (await api.gql(SellerMetrics, { since }, { seller })).data!.sellerMetrics;
const counts = (created: number, updated: number, deleted: number) => [
  { eventType: 'PRODUCT_CREATED', count: created },
  { eventType: 'PRODUCT_UPDATED', count: updated },
  { eventType: 'PRODUCT_DELETED', count: deleted },
];

async function create(seller: string, input: Record<string, unknown>) {
  const res = await api.gql(MetricsCreate, { input: { category: 'C', ...input } as never }, { seller });
  return res.data!.createProduct.product!.id;
}

describe('seller metrics', () => {
  it('computes stock figures exactly and counts lifecycle events, not low-stock warnings', async () => {
    const seller = 'metrics-exact';
    const a = await create(seller, { name: 'A', price: '19.99', quantity: 3 });
    await create(seller, { name: 'B', price: '0.10', quantity: 2, lowStockThreshold: 1 });
    await create(seller, { name: 'C', price: '0.01', quantity: 0 });
    const d = await create(seller, { name: 'D', price: '5.00', quantity: 100, lowStockThreshold: 10 });
    await api.gql(MetricsUpdate, { id: a, input: { quantity: 6 } }, { seller }); // 6 <= 5? no: not low
    await api.gql(MetricsUpdate, { id: d, input: { quantity: 4 } }, { seller }); // a LowStockWarning too
    const gone = await create(seller, { name: 'E', price: '1.00', quantity: 1 });
    await api.gql(MetricsDelete, { id: gone }, { seller });

    const m = await metrics(seller);
    expect(m).toMatchObject({
      productCount: 4,
      totalUnits: 6 + 2 + 0 + 4,
      inventoryValue: '140.14', // 6 x 19.99 + 2 x 0.10 + 0 x 0.01 + 4 x 5.00
      lowStockCount: 2, // C (0 <= 5) and D (4 <= 10)
      outOfStockCount: 1, // C
    });
    await eventually(async () => JSON.stringify((await metrics(seller)).all) === JSON.stringify(counts(5, 2, 1)), 10_000, 'the consumer to count every event');
    const types = (await api.gql(MetricsEvents, {}, { seller })).data!.events.nodes.map((e) => e.eventType);
    expect(types.filter((t) => t === 'LOW_STOCK_WARNING')).toHaveLength(1); // there, but not counted
  });

  it('counts the events at or after since, to the millisecond', async () => {
    const seller = 'metrics-since';
    const first = await create(seller, { name: 'First', price: '1.00' });
    await api.gql(MetricsUpdate, { id: first, input: { name: 'First, renamed' } }, { seller });
    await create(seller, { name: 'Second', price: '1.00' });
    await eventually(async () => JSON.stringify((await metrics(seller)).all) === JSON.stringify(counts(2, 1, 0)), 10_000, 'all counted');
    const [, update, second] = (await api.gql(MetricsEvents, {}, { seller })).data!.events.nodes;
    expect((await metrics(seller, update!.timestamp)).eventCounts).toEqual(counts(1, 1, 0));
    expect((await metrics(seller, second!.timestamp)).eventCounts).toEqual(counts(1, 0, 0));
    expect((await metrics(seller, new Date(Date.parse(second!.timestamp) + 1).toISOString())).eventCounts).toEqual(counts(0, 0, 0));
    expect((await metrics(seller, '2000-01-01T00:00:00.000Z')).eventCounts).toEqual(counts(2, 1, 0));
  });

  it('stays exact when the same batch is delivered twice, in turn or at once, through the queue or directly', async () => {
    const seller = 'metrics-twice';
    await create(seller, { name: 'Once', price: '2.50', quantity: 1 });
    await eventually(async () => (await metrics(seller)).all[0]!.count === 1, 10_000, 'the first delivery');
    const data: AnalyticsJobData = { sellerId: seller, fromSequence: 1, toSequence: 1 };

    const consumer = new AnalyticsConsumer(api.infra.db);
    expect(await consumer.process({ data })).toEqual({ applied: 0, upserts: 0 });
    expect(await Promise.all([consumer.process({ data }), consumer.process({ data })])).toEqual([
      { applied: 0, upserts: 0 },
      { applied: 0, upserts: 0 },
    ]);

    // through BullMQ: the relay's deterministic id adds nothing; a job under another id is applied once
    const queue = api.infra.queues.get<AnalyticsJobData>(ANALYTICS_QUEUE);
    const again = await queue.add('batch', data, { jobId: analyticsJobId(data) });
    expect(await again.getState()).toBe('completed'); // the one the relay queued, still there
    const redelivered = await queue.add('batch', data, { jobId: `redelivered-${Date.now()}` });
    await eventually(async () => (await redelivered.getState()) === 'completed', 10_000, 'the redelivery to be processed');
    expect((await queue.getJob(redelivered.id!))!.returnvalue).toEqual({ applied: 0, upserts: 0 });
    expect((await metrics(seller)).all).toEqual(counts(1, 0, 0));

    // overlapping batches raced directly: each new event is applied exactly once
    const second = await create(seller, { name: 'Twice', price: '1.00' });
    await api.gql(MetricsDelete, { id: second }, { seller });
    await eventually(async () => JSON.stringify((await metrics(seller)).all) === JSON.stringify(counts(2, 0, 1)), 10_000, 'the relay batches');
    await api.infra.db.$executeRaw`DELETE FROM analytics_inbox WHERE seller_id = ${seller} AND event_type = 'ProductDeleted'`;
    await api.infra.db.$executeRaw`UPDATE analytics_daily_counts SET count = 0 WHERE seller_id = ${seller} AND event_type = 'ProductDeleted'`;
    const raced = await Promise.all([
      consumer.process({ data: { sellerId: seller, fromSequence: 1, toSequence: 100 } }),
      consumer.process({ data: { sellerId: seller, fromSequence: 2, toSequence: 100 } }),
    ]);
    expect(raced.map((r) => r.applied).sort()).toEqual([0, 1]);
    expect((await metrics(seller)).all).toEqual(counts(2, 0, 1));
  });

  it("never shows another seller's numbers", async () => {
    await create('metrics-busy', { name: 'Busy', price: '9.99', quantity: 9 });
    expect(await metrics('metrics-empty')).toEqual({
      productCount: 0,
      totalUnits: 0,
      inventoryValue: '0.00',
      lowStockCount: 0,
      outOfStockCount: 0,
      eventCounts: counts(0, 0, 0),
      all: counts(0, 0, 0),
    });
  });

  it('saturates unit totals at the largest GraphQL Int instead of failing (found by the fuzz test)', async () => {
    const seller = 'metrics-huge';
    for (const name of ['Huge A', 'Huge B']) {
      const res = await api.gql(MetricsCreate, { input: { name, price: '0.01', category: 'Bulk', quantity: 2_000_000_000 } }, { seller });
      expect(res.errors).toBeUndefined();
    }
    const res = await api.gql(SellerMetrics, {}, { seller });
    expect(res.errors).toBeUndefined();
    expect(res.data!.sellerMetrics).toMatchObject({ productCount: 2, totalUnits: 2_147_483_647, inventoryValue: '40000000.00' });
    const byCategory = await api.gql('{ stockByCategory { units available } }', undefined, { seller });
    expect(byCategory.data).toEqual({ stockByCategory: [{ units: 2_147_483_647, available: 2_147_483_647 }] });
  });
});
