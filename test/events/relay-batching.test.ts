import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/infra/prisma.js';
import { AnalyticsConsumer, ANALYTICS_PASS_QUEUE, ANALYTICS_QUEUE, type AnalyticsJobData, type AnalyticsPassJobData } from '../../src/modules/analytics/analytics.jobs.js';
import type { EventData } from '../../src/modules/events/event.contract.js';
import type { EventRecord } from '../../src/modules/events/event.model.js';
import { appendEvents } from '../../src/modules/events/events.repository.js';
import { WEBHOOK_QUEUE, type WebhookJobData } from '../../src/modules/webhooks/webhook.jobs.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { textKeyOf } from '../support/ids.js';

const CreateWebhook = `mutation BatchingHook($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } userErrors { code } } }`;

// no worker: the jobs the relay would enqueue stay in the queues for inspection
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE: 'true' });
});
afterAll(() => api?.stop());

const product = (id: number) => ({
  id, sku: null, name: `P${id}`, description: null, price: '1.00', category: 'C', quantity: 1, reserved: 0, lowStockThreshold: 0, version: 1,
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
});

/** A relay batch as the relay reads it: 40 creates, 10 updates and 10 low-stock warnings of one seller. */
async function batchOf(seller: string): Promise<EventRecord[]> {
  const items = Array.from({ length: 60 }, (_, i): { productId: number; data: EventData } => {
    if (i < 40) return { productId: i + 1, data: { type: 'ProductCreated', product: product(i + 1) } };
    if (i < 50) return { productId: i - 39, data: { type: 'ProductUpdated', changes: { name: 'x' }, product: product(i - 39) } };
    return { productId: i - 49, data: { type: 'LowStockWarning', currentQuantity: 1, threshold: 1 } };
  });
  return inTransaction(api.infra.db, (tx) => appendEvents(tx, seller, items));
}

describe('what the relay enqueues per batch', () => {
  it('queues one analytics job per batch, folded into one counter upsert per type and day', async () => {
    const seller = 'batching-analytics';
    const events = await batchOf(seller);
    await api.services.analytics.enqueueEvents(events);
    await api.services.analytics.enqueueEvents(events); // relayed again: nothing more
    const queue = api.infra.queues.get<AnalyticsJobData>(ANALYTICS_QUEUE);
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.sellerId === seller);
    expect(jobs.map((j) => j.data)).toEqual([{ sellerId: seller, fromSequence: 1, toSequence: 50 }]); // the warnings are not analytics'

    const consumer = new AnalyticsConsumer(api.infra.db);
    expect(await consumer.process(jobs[0]!)).toEqual({ applied: 50, upserts: 2 }); // created and updated, all today
    expect(await consumer.process(jobs[0]!)).toEqual({ applied: 0, upserts: 0 });
    const counts = await api.infra.db.analyticsDailyCount.findMany({ where: { sellerId: seller }, orderBy: { eventType: 'asc' }, select: { eventType: true, count: true } });
    expect(counts).toEqual([
      { eventType: 'ProductCreated', count: 40 },
      { eventType: 'ProductUpdated', count: 10 },
    ]);
  });

  it('queues one pass job for a batch that spans sellers, applying every seller once', async () => {
    const sellers = ['batching-pass-a', 'batching-pass-b', 'batching-pass-c'];
    const events = (await Promise.all(sellers.map(batchOf))).flat();
    await api.services.analytics.enqueueEvents(events);
    await api.services.analytics.enqueueEvents(events); // relayed again: nothing more
    const passes = (await api.infra.queues.get<AnalyticsPassJobData>(ANALYTICS_PASS_QUEUE).getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) =>
      j.data.ranges.some((r) => sellers.includes(r.sellerId)),
    );
    expect(passes.map((j) => j.data)).toEqual([{ ranges: sellers.map((sellerId) => ({ sellerId, fromSequence: 1, toSequence: 50 })) }]);
    const single = (await api.infra.queues.get<AnalyticsJobData>(ANALYTICS_QUEUE).getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) =>
      sellers.includes(j.data.sellerId),
    );
    expect(single).toEqual([]);

    const consumer = new AnalyticsConsumer(api.infra.db);
    expect(await consumer.processPass(passes[0]!)).toEqual({ applied: 150, upserts: 6 });
    expect(await consumer.processPass(passes[0]!)).toEqual({ applied: 0, upserts: 0 });
    const counts = await api.infra.db.analyticsDailyCount.findMany({
      where: { sellerId: { in: sellers } },
      orderBy: [{ sellerId: 'asc' }, { eventType: 'asc' }],
      select: { sellerId: true, eventType: true, count: true },
    });
    expect(counts).toEqual(
      sellers.flatMap((sellerId) => [
        { sellerId, eventType: 'ProductCreated', count: 40 },
        { sellerId, eventType: 'ProductUpdated', count: 10 },
      ]),
    );
  });

  it('queues webhook deliveries per event in one addBulk, each job holding only the event id', async () => {
    const seller = 'batching-webhooks';
    const hook = await api.gql<{ createWebhook: { webhook: { id: string } | null } }, unknown>(
      CreateWebhook,
      { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['PRODUCT_CREATED', 'LOW_STOCK_WARNING'] } },
      { seller },
    );
    const webhookId = textKeyOf(hook.data!.createWebhook.webhook!.id);
    const events = await batchOf(seller);
    const queue = api.infra.queues.get<WebhookJobData>(WEBHOOK_QUEUE);
    const calls: number[] = [];
    const addBulk = queue.addBulk.bind(queue);
    queue.addBulk = (jobs) => {
      calls.push(jobs.length);
      return addBulk(jobs);
    };
    await api.services.webhooks.enqueueDeliveries(events);
    await api.services.webhooks.enqueueDeliveries(events); // relayed again: the same job ids
    queue.addBulk = addBulk;
    expect(calls).toEqual([50, 50]);
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.webhookId === webhookId);
    expect(jobs).toHaveLength(50);
    for (const job of jobs) expect(Object.keys(job.data).sort()).toEqual(['eventId', 'sellerId', 'webhookId']);
    const wanted = events.filter((e) => e.type === 'ProductCreated' || e.type === 'LowStockWarning').map((e) => e.eventId);
    expect(jobs.map((j) => j.data.eventId).sort()).toEqual(wanted.sort());
  });
});
