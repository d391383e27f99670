import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, serialKeyOf, toGlobalId } from '../../src/graphql/global-id.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, subscribeWs, wsClient } from '../support/subscriptions.js';
import { receiver } from '../webhooks/receiver.js';

const SELLER = 'ids-owner';
let api: TestApi;
let productId: string;
let reservationId: string;

async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await api.gql<T, Record<string, unknown>>(query, variables, { seller: SELLER });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

async function refusal(query: string, variables: Record<string, unknown>) {
  const res = await api.gql(query, variables, { seller: SELLER });
  expect(res.errors, JSON.stringify(res)).toHaveLength(1);
  return { message: res.errors![0]!.message, code: res.errors![0]!.extensions?.['code'], field: res.errors![0]!.extensions?.['field'] };
}

const PRODUCT_FORM = `must be a Product id such as "${toGlobalId('Product', 1)}"`;

beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { worker: true });
  const created = await ok<{ createProduct: { product: { id: string } } }>(
    `mutation IdsCreate { createProduct(input: { name: "Linen apron", price: "18.50", category: "Kitchen", quantity: 5 }) { product { id } } }`,
  );
  productId = created.createProduct.product.id;
  const held = await ok<{ reserveStock: { reservation: { id: string } } }>(
    `mutation IdsHold($id: ID!) { reserveStock(input: { items: [{ productId: $id, quantity: 1 }] }) { reservation { id } } }`,
    { id: productId },
  );
  reservationId = held.reserveStock.reservation.id;
});
afterAll(() => api?.stop());

describe('id arguments', () => {
  it('refuses the old numeric form with BAD_USER_INPUT naming the argument and the expected form, changing nothing', async () => {
    const numeric = String(serialKeyOf('Product', productId));
    expect(await refusal(`query Old($id: ID!) { product(id: $id) { id } }`, { id: numeric })).toEqual({ message: `id ${PRODUCT_FORM}`, code: 'BAD_USER_INPUT', field: 'id' });
    expect(await refusal(`mutation OldUpdate($id: ID!) { updateProduct(id: $id, input: { name: "Changed" }) { product { id } } }`, { id: numeric })).toMatchObject({
      message: `id ${PRODUCT_FORM}`,
      code: 'BAD_USER_INPUT',
    });
    expect(await refusal(`mutation OldAdjust($id: ID!) { adjustStock(input: { productId: $id, delta: 1, reason: RECEIVED }) { product { id } } }`, { id: numeric })).toEqual({
      message: `input.productId ${PRODUCT_FORM}`,
      code: 'BAD_USER_INPUT',
      field: 'input.productId',
    });
    expect(
      await refusal(`mutation OldHold($id: ID!) { reserveStock(input: { items: [{ productId: $id, quantity: 1 }] }) { reservation { id } } }`, { id: numeric }),
    ).toEqual({ message: `input.items.0.productId ${PRODUCT_FORM}`, code: 'BAD_USER_INPUT', field: 'input.items.0.productId' });
    const nested = await api.gql(`mutation OldOrderItem { placeOrder(input: { items: [{ productId: "1", quantity: 1 }] }) { order { id } } }`, {}, { seller: SELLER });
    expect(nested.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'input.items.0.productId' });
    expect(nested.data).toBeNull();
    expect(await refusal(`query OldOrder { order(id: "1") { id } }`, {})).toMatchObject({ message: `id must be an Order id such as "${toGlobalId('Order', 1)}"` });
    expect(await refusal(`query OldEvents { events(filter: { productId: "1" }) { nodes { eventId } } }`, {})).toMatchObject({ field: 'filter.productId', code: 'BAD_USER_INPUT' });
    const { product } = await ok<{ product: { name: string; quantity: number; reserved: number } }>(`query After($id: ID!) { product(id: $id) { name quantity reserved } }`, {
      id: productId,
    });
    expect(product).toEqual({ name: 'Linen apron', quantity: 5, reserved: 1 });
  });

  it('refuses an id of another type, and junk, the same way', async () => {
    expect(await refusal(`query Wrong($id: ID!) { product(id: $id) { id } }`, { id: reservationId })).toEqual({ message: `id ${PRODUCT_FORM}`, code: 'BAD_USER_INPUT', field: 'id' });
    expect(await refusal(`mutation WrongRelease($id: ID!) { releaseReservation(id: $id) { reservation { id } } }`, { id: productId })).toMatchObject({
      message: `id must be a Reservation id such as "${toGlobalId('Reservation', 1)}"`,
    });
    expect(await refusal(`mutation WrongHook($id: ID!) { deleteWebhook(id: $id) { deletedWebhookId } }`, { id: productId })).toMatchObject({
      message: expect.stringMatching(/^id must be a Webhook id such as "[\w-]+"$/),
      code: 'BAD_USER_INPUT',
    });
    expect(await refusal(`query WrongJob($id: ID!) { job(id: $id) { id } }`, { id: toGlobalId('Job', 'not-a-uuid') })).toMatchObject({ code: 'BAD_USER_INPUT' });
    for (const junk of ['', '!!', 'UHJvZHVjdA', toGlobalId('Product', 'x'), toGlobalId('Product', 0)]) {
      expect(await refusal(`query Junk($id: ID!) { product(id: $id) { id } }`, { id: junk })).toEqual({ message: `id ${PRODUCT_FORM}`, code: 'BAD_USER_INPUT', field: 'id' });
    }
  });

  it("reads a well-formed id of a product that is not the seller's as null or NOT_FOUND", async () => {
    const theirs = await api.gql<{ createProduct: { product: { id: string } } }, Record<string, never>>(
      `mutation Theirs { createProduct(input: { name: "Other apron", price: "1", category: "Kitchen" }) { product { id } } }`,
      {},
      { seller: 'ids-stranger' },
    );
    const id = theirs.data!.createProduct.product.id;
    expect(await ok(`query Foreign($id: ID!) { product(id: $id) { id } }`, { id })).toEqual({ product: null });
    expect(await ok(`mutation ForeignUpdate($id: ID!) { updateProduct(id: $id, input: { name: "x" }) { userErrors { code field } } }`, { id })).toEqual({
      updateProduct: { userErrors: [{ code: 'NOT_FOUND', field: ['id'] }] },
    });
  });
});

describe('ids in payloads', () => {
  it('sends global ids in subscription payloads (productEvents and stockLevels), the contract eventId unchanged', async () => {
    const client = wsClient(api.url, `Bearer ${await api.token(SELLER)}`);
    try {
      const events = subscribeWs<{ eventId: string; productId: string; sellerId: string; product?: { id: string } }>(
        client,
        `subscription IdsEvents($ids: [ID!]) { productEvents(productIds: $ids) { eventId productId sellerId ... on ProductUpdated { product { id } } } }`,
        { ids: [productId] },
      );
      const levels = subscribeWs<{ productId: string; quantity: number }>(client, `subscription IdsLevels($ids: [ID!]) { stockLevels(productIds: $ids) { productId quantity } }`, {
        ids: [productId],
      });
      await levels.waitFor((r) => r.values.length >= 1, 10_000, 'the first stock level');
      await ok(`mutation IdsBump($id: ID!) { adjustStock(input: { productId: $id, delta: 3, reason: RECEIVED }) { product { id } } }`, { id: productId });
      await events.waitFor((r) => r.values.length >= 1, 10_000, 'the update event');
      await levels.waitFor((r) => r.values.length >= 2, 10_000, 'the changed stock level');
      const event = events.values[0]!;
      expect(event.productId).toBe(productId);
      expect(event.product?.id).toBe(productId);
      expect(fromGlobalId(event.sellerId)).toEqual({ type: 'Seller', key: SELLER });
      expect(event.eventId).toMatch(new RegExp(`^${SELLER}-${serialKeyOf('Product', productId)}-ProductUpdated-\\d{4}-`));
      expect(levels.values).toEqual([
        { productId, quantity: 5 },
        { productId, quantity: 8 },
      ]);
      events.unsubscribe();
      levels.unsubscribe();
    } finally {
      await client.dispose();
    }
  });

  it("sends webhook bodies with the contract's numeric productId and eventId, and global ids for everything else", async () => {
    const hooks = await receiver();
    try {
      await ok(`mutation IdsHook($url: String!) { createWebhook(input: { url: $url, eventTypes: [PRODUCT_UPDATED] }) { webhook { id } } }`, { url: hooks.url });
      await ok(`mutation IdsRename($id: ID!) { updateProduct(id: $id, input: { name: "Linen apron, long" }) { product { id } } }`, { id: productId });
      await eventually(() => hooks.requests.length >= 1, 15_000, 'a webhook delivery');
      const body = JSON.parse(hooks.requests[0]!.rawBody) as { eventId: string; data: Record<string, unknown> & { product: { id: unknown } } };
      const key = serialKeyOf('Product', productId);
      expect(body.data.sellerId).toBe(SELLER);
      expect(body.data.productId).toBe(key);
      expect(body.data.productNodeId).toBe(productId);
      expect(body.data.product.id).toBe(productId);
      expect(body.eventId).toMatch(new RegExp(`^${SELLER}-${key}-ProductUpdated-`));
    } finally {
      await hooks.close();
    }
  });
});
