import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInterfaceType, parse, type GraphQLInterfaceType } from 'graphql';
import { fromGlobalId, toGlobalId } from '../../src/graphql/global-id.js';
import { registeredNodeTypes } from '../../src/graphql/node-registry.js';
import { buildOfflineSchema } from '../../src/graphql/schema.js';
import { operationCost } from '../../src/limits/cost.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { receiver } from '../webhooks/receiver.js';

const SELLER = 'node-owner';
const OTHER = 'node-other';

const Setup = `
  mutation NodeSetup($product: CreateProductInput!) { createProduct(input: $product) { product { id sellerId } userErrors { message } } }
`;
const NodeQuery = `
  query NodeOne($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Product { name }
      ... on Order { orderStatus: status }
      ... on Reservation { reservationStatus: status }
      ... on StockMovement { delta reason productId }
      ... on Job { kind }
      ... on Webhook { url }
      ... on Seller { productCount }
    }
  }
`;
const NodesQuery = `query NodeMany($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

let api: TestApi;
let hooks: Awaited<ReturnType<typeof receiver>>;
/** One id of every type that implements Node, as the API handed them out. */
const ids: Record<string, string> = {};

async function ok<T>(query: string, variables: Record<string, unknown>, seller = SELLER): Promise<T> {
  const res = await api.gql<T, Record<string, unknown>>(query, variables, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  hooks = await receiver();
  const created = await ok<{ createProduct: { product: { id: string; sellerId: string } } }>(Setup, {
    product: { name: 'Walnut desk tidy', price: '24.00', category: 'Office', quantity: 10, sku: 'NODE-1' },
  });
  ids.Product = created.createProduct.product.id;
  ids.Seller = created.createProduct.product.sellerId;
  const moved = await ok<{ adjustStock: { product: { stockMovements: { nodes: { id: string }[] } } } }>(
    `mutation NodeAdjust($id: ID!) { adjustStock(input: { productId: $id, delta: 2, reason: RECEIVED }) { product { stockMovements(first: 10) { nodes { id } } } } }`,
    { id: ids.Product },
  );
  ids.StockMovement = moved.adjustStock.product.stockMovements.nodes.at(-1)!.id;
  const held = await ok<{ reserveStock: { reservation: { id: string } } }>(
    `mutation NodeReserve($id: ID!) { reserveStock(input: { items: [{ productId: $id, quantity: 1 }] }) { reservation { id } } }`,
    { id: ids.Product },
  );
  ids.Reservation = held.reserveStock.reservation.id;
  const placed = await ok<{ placeOrder: { order: { id: string } } }>(
    `mutation NodeOrder($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { order { id } } }`,
    { id: ids.Product },
  );
  ids.Order = placed.placeOrder.order.id;
  const job = await ok<{ exportProducts: { job: { id: string } } }>(`mutation NodeExport { exportProducts { job { id } } }`, {});
  ids.Job = job.exportProducts.job.id;
  const hook = await ok<{ createWebhook: { webhook: { id: string } } }>(
    `mutation NodeHook($url: String!) { createWebhook(input: { url: $url, eventTypes: [PRODUCT_CREATED] }) { webhook { id } } }`,
    { url: hooks.url },
  );
  ids.Webhook = hook.createWebhook.webhook.id;
});
afterAll(async () => {
  await api?.stop();
  await hooks?.close();
});

describe('node(id:) and nodes(ids:)', () => {
  it('hands out an opaque global id of its own type for every kind of object', () => {
    expect(Object.keys(ids).sort()).toEqual(['Job', 'Order', 'Product', 'Reservation', 'Seller', 'StockMovement', 'Webhook']);
    for (const [type, id] of Object.entries(ids)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(fromGlobalId(id)?.type).toBe(type);
    }
    expect(new Set(Object.values(ids)).size).toBe(7);
  });

  it('fetches every type again by its id alone', async () => {
    for (const [type, id] of Object.entries(ids)) {
      const { node } = await ok<{ node: Record<string, unknown> }>(NodeQuery, { id });
      expect(node).toMatchObject({ __typename: type, id });
    }
    const { node: product } = await ok<{ node: { name: string } }>(NodeQuery, { id: ids.Product });
    expect(product.name).toBe('Walnut desk tidy');
    const { node: movement } = await ok<{ node: { delta: number; reason: string; productId: string } }>(NodeQuery, { id: ids.StockMovement });
    expect(movement).toMatchObject({ delta: 2, reason: 'RECEIVED', productId: ids.Product });
    const { node: order } = await ok<{ node: { orderStatus: string } }>(NodeQuery, { id: ids.Order });
    expect(order.orderStatus).toBe('PENDING');
    const { node: seller } = await ok<{ node: { productCount: number } }>(NodeQuery, { id: ids.Seller });
    expect(seller.productCount).toBe(1);
  });

  it('fetches many in the order asked, null where the seller has none', async () => {
    const missing = toGlobalId('Product', 2_000_000_000);
    const asked = [ids.Webhook!, missing, ...Object.values(ids)];
    const { nodes } = await ok<{ nodes: ({ __typename: string; id: string } | null)[] }>(NodesQuery, { ids: asked });
    expect(nodes.map((n) => n?.id ?? null)).toEqual([ids.Webhook, null, ...Object.values(ids)]);
    expect(nodes.map((n) => n?.__typename ?? null)).toEqual(['Webhook', null, ...Object.keys(ids)]);
  });

  it("reads another seller's objects as null, by node and by nodes", async () => {
    for (const id of Object.values(ids)) {
      const { node } = await ok<{ node: unknown }>(NodeQuery, { id }, OTHER);
      expect(node).toBeNull();
    }
    const { nodes } = await ok<{ nodes: unknown[] }>(NodesQuery, { ids: Object.values(ids) }, OTHER);
    expect(nodes).toEqual(Object.values(ids).map(() => null));
  });

  it('refuses more than 100 ids, and an id of no known type, as BAD_USER_INPUT naming the argument', async () => {
    const many = Array.from({ length: 101 }, (_, i) => toGlobalId('Product', i + 1));
    const tooMany = await api.gql(NodesQuery, { ids: many }, { seller: SELLER });
    expect(tooMany.errors?.[0]).toMatchObject({ message: 'ids: at most 100 ids, got 101', extensions: { code: 'BAD_USER_INPUT' } });
    const unknown = await api.gql(NodeQuery, { id: toGlobalId('Refund', 1) }, { seller: SELLER });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'id must be a global id such as "UHJvZHVjdDox"', extensions: { code: 'BAD_USER_INPUT' } });
    const bad = await api.gql(NodesQuery, { ids: [ids.Product, '17'] }, { seller: SELLER });
    expect(bad.errors?.[0]).toMatchObject({ message: 'ids.1 must be a global id such as "UHJvZHVjdDox"', extensions: { code: 'BAD_USER_INPUT', field: 'ids.1' } });
    expect(bad.data).toBeNull();
  });

  it('knows how to load every type that implements Node, and nothing else', async () => {
    const schema = await buildOfflineSchema();
    const node = schema.getType('Node');
    expect(isInterfaceType(node)).toBe(true);
    const implementing = schema.getPossibleTypes(node as GraphQLInterfaceType).map((t) => t.name);
    expect(implementing.sort()).toEqual(registeredNodeTypes().sort());
  });

  it('charges nodes(ids:) once per id, as a page of that size', async () => {
    const schema = await buildOfflineSchema();
    const document = parse(`query Cost($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { reservations: stockMovements(first: 5) { nodes { id } } } } }`);
    const one = operationCost(schema, document, { ids: [ids.Product] });
    expect(one).toBeGreaterThan(1);
    expect(operationCost(schema, document, { ids: Array.from({ length: 50 }, () => ids.Product) })).toBe(50 * one);
    expect(operationCost(schema, parse(`{ node(id: "${ids.Product}") { id } }`))).toBe(1);
  });
});
