import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealWebhookSecrets } from '../../src/modules/webhooks/webhook-secret-migration.js';
import { keyIdOf, WebhookSecretBox } from '../../src/modules/webhooks/webhook-secret-box.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually } from '../support/subscriptions.js';
import { receiver, verifySignature } from './receiver.js';
import { textKeyOf } from '../support/ids.js';

const HardenCreateWebhook = graphql(`
  mutation HardenCreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) { webhook { id } secret userErrors { message } }
  }
`);
const HardenEnableWebhook = graphql(`
  mutation HardenEnableWebhook($id: ID!) {
    enableWebhook(id: $id) { webhook { id active disabledAt disabledReason consecutiveFailures failingSince } secret userErrors { field message code } }
  }
`);
const HardenWebhooks = graphql(`
  query HardenWebhooks { webhooks { id active disabledAt disabledReason consecutiveFailures failingSince } }
`);
const HardenCreateProduct = graphql(`
  mutation HardenCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }
`);

const KEY = randomBytes(32);
const OLD_KEY = randomBytes(32);
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(
    {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SECRET_KEY: KEY.toString('base64'),
      WEBHOOK_SECRET_KEYS_OLD: OLD_KEY.toString('base64'),
      WEBHOOK_DISABLE_AFTER_FAILURES: '3',
      WEBHOOK_DISABLE_AFTER_HOURS: '48',
    },
    { worker: true },
  );
});
afterAll(() => api?.stop());

async function createWebhook(seller: string, url: string) {
  const res = await api.gql(HardenCreateWebhook, { input: { url, eventTypes: ['PRODUCT_CREATED'] } }, { seller });
  expect(res.data!.createWebhook.userErrors).toEqual([]);
  return { id: res.data!.createWebhook.webhook!.id, secret: res.data!.createWebhook.secret! };
}
const createProduct = (seller: string, name: string) => api.gql(HardenCreateProduct, { input: { name, price: '1.00', category: 'C' } }, { seller });
const storedSecret = async (id: string) => (await api.infra.db.webhook.findUniqueOrThrow({ where: { id } })).secret;
const hooksOf = async (seller: string) => (await api.gql(HardenWebhooks, {}, { seller })).data!.webhooks;

describe('webhook secrets at rest', () => {
  it('are stored AES-256-GCM sealed under the current key, and deliveries still verify with the secret shown once', async () => {
    const seller = 'harden-sealed';
    const endpoint = await receiver();
    const created = await createWebhook(seller, endpoint.url);
    const { secret } = created;
    const id = textKeyOf(created.id);
    const stored = await storedSecret(id);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(6)); // nor its random part
    expect(stored.startsWith(`aes256gcm:v1:${keyIdOf(KEY)}:`)).toBe(true);
    expect(new WebhookSecretBox(KEY).open(id, stored)).toBe(secret);
    expect(() => new WebhookSecretBox(KEY).open(randomUUID(), stored)).toThrow(); // bound to its row

    await createProduct(seller, 'Sealed');
    await eventually(() => endpoint.requests.length === 1, 10_000, 'the delivery');
    expect(verifySignature(secret, endpoint.requests[0]!)).toBe(true);
    await endpoint.close();
  });

  it('seals rows stored in plain text before encryption, and re-seals rows of a rotated-out key', async () => {
    const seller = 'harden-legacy';
    const endpoint = await receiver();
    const plainId = randomUUID();
    const plain = `whsec_${randomBytes(32).toString('base64url')}`;
    await api.infra.db.webhook.create({ data: { id: plainId, sellerId: seller, url: endpoint.url, eventTypes: ['ProductCreated'], secret: plain } });
    const oldId = randomUUID();
    const old = `whsec_${randomBytes(32).toString('base64url')}`;
    await api.infra.db.webhook.create({ data: { id: oldId, sellerId: `${seller}-old`, url: endpoint.url, eventTypes: ['ProductCreated'], secret: new WebhookSecretBox(OLD_KEY).seal(oldId, old) } });

    const box = new WebhookSecretBox(KEY, [OLD_KEY]);
    expect(await sealWebhookSecrets(api.infra.db, box)).toBeGreaterThanOrEqual(2);
    for (const [id, secret] of [[plainId, plain], [oldId, old]] as const) {
      const stored = await storedSecret(id);
      expect(stored.startsWith(`aes256gcm:v1:${keyIdOf(KEY)}:`)).toBe(true);
      expect(box.open(id, stored)).toBe(secret);
    }
    expect(await sealWebhookSecrets(api.infra.db, box)).toBe(0); // nothing left to do

    await createProduct(seller, 'Legacy');
    await eventually(() => endpoint.requests.length === 1, 10_000, 'the delivery');
    expect(verifySignature(plain, endpoint.requests[0]!)).toBe(true);
    await endpoint.close();
  });
});

describe('an endpoint that keeps failing', () => {
  it('is disabled after WEBHOOK_DISABLE_AFTER_FAILURES attempts in a row, says why, and can be enabled again', async () => {
    const seller = 'harden-disable';
    let status = 500;
    const endpoint = await receiver(() => status);
    const { id, secret } = await createWebhook(seller, endpoint.url);
    await createProduct(seller, 'First');

    let hook: Awaited<ReturnType<typeof hooksOf>>[number] | undefined;
    await eventually(async () => {
      hook = (await hooksOf(seller))[0];
      return hook?.active === false;
    }, 15_000, 'the webhook to be disabled');
    expect(hook).toMatchObject({ id, active: false, consecutiveFailures: 3 });
    expect(hook!.disabledAt).not.toBeNull();
    expect(hook!.failingSince).not.toBeNull();
    expect(hook!.disabledReason).toMatch(/^Disabled after 3 failed delivery attempts in a row since .+ \(limit: 3 attempts or 48 h\); last error: the endpoint answered HTTP 500$/);
    expect(endpoint.requests).toHaveLength(3); // no retry after it was disabled (6 attempts otherwise)

    // nothing is sent while it is disabled
    await createProduct(seller, 'While disabled');
    await eventually(async () => (await api.infra.db.relayPosition.findUnique({ where: { sellerId: seller } }))?.sequence === 2, 5000, 'relayed');
    expect(endpoint.requests).toHaveLength(3);

    expect((await api.gql(HardenEnableWebhook, { id }, { seller: 'harden-intruder' })).data!.enableWebhook).toEqual({
      webhook: null,
      secret: null,
      userErrors: [{ field: ['id'], message: 'Webhook not found', code: 'NOT_FOUND' }],
    });
    const enabled = (await api.gql(HardenEnableWebhook, { id }, { seller })).data!.enableWebhook;
    expect(enabled).toEqual({ webhook: { id, active: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null }, secret: null, userErrors: [] });

    status = 200;
    await createProduct(seller, 'After enabling');
    await eventually(() => endpoint.requests.length === 4, 10_000, 'the delivery after enabling');
    expect(verifySignature(secret, endpoint.requests[3]!)).toBe(true);
    expect(JSON.parse(endpoint.requests[3]!.rawBody)).toMatchObject({ sequence: 3 });
    await endpoint.close();
  });

  it('is disabled once it has failed for WEBHOOK_DISABLE_AFTER_HOURS, however few attempts that was', async () => {
    const seller = 'harden-hours';
    const endpoint = await receiver(() => 503);
    const { id } = await createWebhook(seller, endpoint.url);
    // one failure 49 hours ago, as if the endpoint had been down since
    await api.infra.db.webhook.update({ where: { id: textKeyOf(id) }, data: { consecutiveFailures: 1, failingSince: new Date(Date.now() - 49 * 3_600_000) } });
    await createProduct(seller, 'Late');
    await eventually(async () => (await hooksOf(seller))[0]?.active === false, 10_000, 'the webhook to be disabled');
    expect(endpoint.requests).toHaveLength(1);
    expect((await hooksOf(seller))[0]).toMatchObject({ consecutiveFailures: 2, disabledReason: expect.stringContaining('Disabled after 2 failed delivery attempts') });
    await endpoint.close();
  });

  it('starts its count again after a success', async () => {
    const seller = 'harden-reset';
    const statuses = [500, 500, 200];
    const endpoint = await receiver(() => statuses.shift() ?? 200);
    await createWebhook(seller, endpoint.url);
    await createProduct(seller, 'Recovers');
    await eventually(() => endpoint.requests.length === 3, 10_000, 'three attempts');
    await eventually(async () => (await hooksOf(seller))[0]?.consecutiveFailures === 0, 5000, 'the count to reset');
    expect((await hooksOf(seller))[0]).toMatchObject({ active: true, failingSince: null, disabledAt: null });
    await endpoint.close();
  });
});
