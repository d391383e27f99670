import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPrivateAddress } from '../../src/modules/webhooks/webhook-url.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually } from '../support/subscriptions.js';
import { keyOf } from '../support/ids.js';

const CreateWebhook = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) { webhook { id url eventTypes active createdAt } secret userErrors { field message code } }
  }
`);
const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) { deletedWebhookId userErrors { field message code } } }
`);
const ListWebhooks = graphql(`
  query ListWebhooks($eventId: String) {
    webhooks { id url eventTypes active deliveries(eventId: $eventId) { eventId attempt delivered statusCode error durationMs } }
  }
`);
const HookCreateProduct = graphql(`
  mutation HookCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }
`);
const HookUpdateProduct = graphql(`
  mutation HookUpdateProduct($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { id } } }
`);
const HookEvents = graphql(`
  query HookEvents { events(first: 100) { nodes { eventId sequence eventType timestamp } } }
`);

interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A webhook endpoint on 127.0.0.1 that records raw requests and answers with the given statuses in turn (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; requests: Received[]; close: () => Promise<void> }> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/amused`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What the README tells receivers to do. */
function verify(secret: string, r: Received): boolean {
  const timestamp = r.headers['x-amused-timestamp'] as string;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.rawBody}`).digest('hex')}`;
  return r.headers['x-amused-signature'] === expected;
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
});

async function createWebhook(seller: string, url: string, eventTypes: string[]) {
  const res = await api.gql(CreateWebhook, { input: { url, eventTypes: eventTypes as never } }, { seller });
  expect(res.data!.createWebhook.userErrors).toEqual([]);
  return { webhook: res.data!.createWebhook.webhook!, secret: res.data!.createWebhook.secret! };
}

describe('webhooks', () => {
  it('delivers the event JSON signed with HMAC-SHA256 over the raw body, with the event id in a header', async () => {
    const seller = 'hook-signed';
    const endpoint = await receiver();
    const { webhook, secret } = await createWebhook(seller, endpoint.url, ['PRODUCT_CREATED', 'PRODUCT_UPDATED']);
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(webhook).toMatchObject({ url: endpoint.url, eventTypes: ['PRODUCT_CREATED', 'PRODUCT_UPDATED'], active: true });

    const created = await api.gql(HookCreateProduct, { input: { sku: 'HOOK-1', name: 'Signed "mug" ☕', price: '19.90', category: 'Kitchen', quantity: 8 } }, { seller });
    const productNodeId = created.data!.createProduct.product!.id;
    const productId = keyOf(productNodeId);
    await eventually(() => endpoint.requests.length === 1, 10_000, 'the delivery');

    const [request] = endpoint.requests;
    expect(verify(secret, request!)).toBe(true);
    expect(verify('whsec_wrong', request!)).toBe(false);
    expect(verify(secret, { ...request!, rawBody: request!.rawBody.replace('19.90', '19.91') })).toBe(false);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(request!.headers['x-amused-timestamp']) - Date.now() / 1000)).toBeLessThan(60);

    const [event] = (await api.gql(HookEvents, {}, { seller })).data!.events.nodes;
    const body = JSON.parse(request!.rawBody);
    expect(request!.headers['x-amused-event-id']).toBe(event!.eventId);
    expect(body).toEqual({
      eventId: event!.eventId,
      eventType: 'ProductCreated',
      timestamp: event!.timestamp,
      sequence: 1,
      data: {
        sellerId: seller,
        productId,
        productNodeId,
        product: expect.objectContaining({ id: productNodeId, sku: 'HOOK-1', name: 'Signed "mug" ☕', price: '19.90', quantity: 8 }),
      },
    });
    expect(body.eventId).toBe(`${seller}-${productId}-ProductCreated-${event!.timestamp}`);

    // the secret is never shown again
    const listed = await api.gql(ListWebhooks, {}, { seller });
    expect(JSON.stringify(listed)).not.toContain(secret);
    await endpoint.close();
  });

  it('retries a failing endpoint with the same event id and records every attempt', async () => {
    const seller = 'hook-retry';
    const endpoint = await receiver([500, 503]);
    const { secret } = await createWebhook(seller, endpoint.url, ['PRODUCT_CREATED']);
    await api.gql(HookCreateProduct, { input: { name: 'Retried', price: '1.00', category: 'C' } }, { seller });
    await eventually(() => endpoint.requests.length === 3, 15_000, 'three attempts');

    const ids = endpoint.requests.map((r) => r.headers['x-amused-event-id']);
    expect(new Set(ids).size).toBe(1);
    expect(new Set(endpoint.requests.map((r) => r.rawBody)).size).toBe(1);
    expect(endpoint.requests.map((r) => r.headers['x-amused-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(endpoint.requests.every((r) => verify(secret, r))).toBe(true);

    let deliveries: { attempt: number; delivered: boolean; statusCode?: number | null; error?: string | null; durationMs: number }[] = [];
    await eventually(async () => {
      deliveries = (await api.gql(ListWebhooks, { eventId: ids[0] as string }, { seller })).data!.webhooks[0]!.deliveries;
      return deliveries.length === 3;
    }, 5000, 'three recorded attempts');
    expect(deliveries.map(({ attempt, delivered, statusCode, error }) => ({ attempt, delivered, statusCode, error }))).toEqual([
      { attempt: 3, delivered: true, statusCode: 200, error: null },
      { attempt: 2, delivered: false, statusCode: 503, error: 'HTTP 503' },
      { attempt: 1, delivered: false, statusCode: 500, error: 'HTTP 500' },
    ]);
    expect(deliveries.every((d) => d.durationMs >= 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(endpoint.requests).toHaveLength(3); // delivered: no more attempts
    await endpoint.close();
  });

  it('sends only the subscribed event types, and nothing after the webhook is deleted', async () => {
    const seller = 'hook-types';
    const endpoint = await receiver();
    const { webhook } = await createWebhook(seller, endpoint.url, ['LOW_STOCK_WARNING']);
    const created = await api.gql(HookCreateProduct, { input: { name: 'Low', price: '1.00', category: 'C', quantity: 10, lowStockThreshold: 3 } }, { seller });
    const id = created.data!.createProduct.product!.id;
    await api.gql(HookUpdateProduct, { id, input: { quantity: 2 } }, { seller });
    await eventually(() => endpoint.requests.length === 1, 10_000, 'the warning');
    expect(JSON.parse(endpoint.requests[0]!.rawBody)).toMatchObject({ eventType: 'LowStockWarning', data: { currentQuantity: 2, threshold: 3 } });

    expect((await api.gql(DeleteWebhook, { id: webhook.id }, { seller: 'hook-intruder' })).data!.deleteWebhook).toEqual({
      deletedWebhookId: null,
      userErrors: [{ field: ['id'], message: 'Webhook not found', code: 'NOT_FOUND' }],
    });
    expect((await api.gql(ListWebhooks, {}, { seller: 'hook-intruder' })).data!.webhooks).toEqual([]);
    expect((await api.gql(DeleteWebhook, { id: webhook.id }, { seller })).data!.deleteWebhook).toEqual({ deletedWebhookId: webhook.id, userErrors: [] });
    expect((await api.gql(ListWebhooks, {}, { seller })).data!.webhooks).toEqual([]);

    await api.gql(HookUpdateProduct, { id, input: { quantity: 10 } }, { seller });
    await api.gql(HookUpdateProduct, { id, input: { quantity: 1 } }, { seller });
    await eventually(async () => (await api.infra.db.relayPosition.findUnique({ where: { sellerId: seller } }))?.sequence === 6, 5000, 'relayed');
    await new Promise((r) => setTimeout(r, 300));
    expect(endpoint.requests).toHaveLength(1);
    await endpoint.close();
  });

  it('refuses URLs that are not http(s), carry credentials or point to private addresses', async () => {
    const seller = 'hook-urls';
    const refused = async (url: string, eventTypes = ['PRODUCT_CREATED']) =>
      (await api.gql(CreateWebhook, { input: { url, eventTypes: eventTypes as never } }, { seller })).data!.createWebhook;
    expect(await refused('ftp://example.com/hook')).toEqual({
      webhook: null,
      secret: null,
      userErrors: [{ field: ['input', 'url'], message: 'The URL must use http or https', code: 'INVALID' }],
    });
    expect((await refused('https://user:pass@example.com/hook')).userErrors[0]!.message).toBe('The URL must not contain credentials');
    expect((await refused(`https://example.com/${'x'.repeat(2048)}`)).userErrors[0]!.message).toBe('The URL must be at most 2048 characters');
    expect((await refused('not a url')).userErrors[0]!.message).toBe('The URL is not valid');
    expect((await refused('https://example.com/hook', [])).userErrors[0]).toMatchObject({ field: ['input', 'eventTypes'] });

    // the tests allow private addresses (their receivers listen on 127.0.0.1); by default they are refused
    const strict = { allowPrivate: false };
    for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://192.168.0.10/x', 'http://172.20.0.1/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[fd00::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://0.0.0.0/x']) {
      expect(await checkWebhookUrl(url, strict), url).toBe('The URL must not point to a private, loopback or link-local address');
    }
    expect(await checkWebhookUrl('http://93.184.215.14/hook', strict)).toBeNull();
    expect(await checkWebhookUrl('http://127.0.0.1:8080/x', { allowPrivate: true })).toBeNull();
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2606:4700:4700::1111')).toBe(false);
  });
});
