import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { sellerNodeId } from '../support/ids.js';

const Create = graphql(`
  mutation IsolationCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }
`);
const ReadAll = graphql(`
  query IsolationRead($id: ID!, $sku: String!) {
    product(id: $id) { id }
    productBySku(sku: $sku) { id }
    products(first: 100) { totalCount nodes { id } }
    search: products(first: 100, filter: { search: "Secret" }) { totalCount }
    events(first: 100) { nodes { productId sellerId } }
    byProduct: events(first: 100, filter: { productId: $id }) { nodes { sequence } }
    viewer { id productCount }
  }
`);
const Update = graphql(`
  mutation IsolationUpdate($id: ID!) { updateProduct(id: $id, input: { name: "Hijacked" }) { product { id } userErrors { code field } } }
`);
const Delete = graphql(`
  mutation IsolationDelete($id: ID!) { deleteProduct(id: $id) { deletedProductId userErrors { code } } }
`);

const A = 'isolation-a';
const B = 'isolation-b';
let api: TestApi;
let productOfA: string;

beforeAll(async () => {
  api = await startTestApi();
  const res = await api.gql(Create, { input: { sku: 'SECRET-1', name: 'Secret of A', price: '5', category: 'Hidden', quantity: 3 } }, { seller: A });
  productOfA = res.data!.createProduct.product!.id;
});
afterAll(() => api?.stop());

describe('seller isolation', () => {
  it("never shows seller B seller A's product, by id, SKU, list, search or events", async () => {
    const res = await api.gql(ReadAll, { id: productOfA, sku: 'SECRET-1' }, { seller: B });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      product: null,
      productBySku: null,
      products: { totalCount: 0, nodes: [] },
      search: { totalCount: 0 },
      events: { nodes: [] },
      byProduct: { nodes: [] },
      viewer: { id: sellerNodeId(B), productCount: 0 },
    });
  });

  it("lets seller B neither update nor delete A's product, answering NOT_FOUND", async () => {
    const upd = await api.gql(Update, { id: productOfA }, { seller: B });
    expect(upd.data!.updateProduct).toEqual({ product: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'] }] });
    const del = await api.gql(Delete, { id: productOfA }, { seller: B });
    expect(del.data!.deleteProduct).toEqual({ deletedProductId: null, userErrors: [{ code: 'NOT_FOUND' }] });
  });

  it("leaves A's product and log untouched by B's attempts", async () => {
    const res = await api.gql(ReadAll, { id: productOfA, sku: 'SECRET-1' }, { seller: A });
    expect(res.data!.product).toEqual({ id: productOfA });
    expect(res.data!.events.nodes).toEqual([{ productId: productOfA, sellerId: sellerNodeId(A) }]);
  });

  it("refuses a cursor of A's event log when B pages events", async () => {
    const a = await api.gql(graphql(`query IsolationCursor { events(first: 1) { edges { cursor } } }`), {}, { seller: A });
    const cursor = a.data!.events.edges[0]!.cursor;
    const b = await api.gql(graphql(`query IsolationCursorUse($after: String) { events(first: 10, after: $after) { nodes { sequence } } }`), { after: cursor }, { seller: B });
    expect(b.data).toBeNull();
    expect(b.errors?.[0]).toMatchObject({ message: "The cursor is not from this seller's event log", extensions: { code: 'BAD_USER_INPUT' } });
  });
});
