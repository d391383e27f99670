import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { sellerNodeId } from '../support/ids.js';

// product, productBySku and products read only the columns the operation selects
// (src/modules/catalog/product.selection.ts): every way of selecting a field must still get it.
let api: TestApi;
let id: string;
beforeAll(async () => {
  api = await startTestApi();
  const created = await api.gql<{ createProduct: { product: { id: string } } }, Record<string, unknown>>(
    'mutation { createProduct(input: { sku: "SEL-1", name: "Selected", price: "12.50", category: "tools", quantity: 7, lowStockThreshold: 10 }) { product { id } } }',
  );
  id = created.data!.createProduct.product.id;
});
afterAll(() => api?.stop());

const expected = { id: expect.any(String), name: 'Selected', price: '12.50', available: 7, isLowStock: true, sellerId: sellerNodeId('seller-default') };

describe('hot reads select what the operation asks for', () => {
  it('through fragments, inline fragments and computed fields', async () => {
    const query = `
      fragment Money on Product { price ... on Product { available } }
      query ($id: ID!) {
        product(id: $id) { id ...Money ... { name isLowStock sellerId } }
        productBySku(sku: "SEL-1") { ...Money name isLowStock id sellerId }
        products(first: 5) { edges { node { ...Money name isLowStock id sellerId } } nodes { ...Money id name isLowStock sellerId } }
      }`;
    const res = await api.gql<Record<string, unknown>, Record<string, unknown>>(query, { id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      product: expected,
      productBySku: expected,
      products: { edges: [{ node: expected }], nodes: [expected] },
    });
  });

  it('makes cursors only from the sort column, whatever else is selected', async () => {
    const res = await api.gql<{ products: { edges: { cursor: string }[]; pageInfo: { endCursor: string } } }, Record<string, unknown>>(
      '{ products(first: 1, orderBy: { field: PRICE, direction: DESC }) { edges { cursor } pageInfo { endCursor } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.products.edges[0]!.cursor).toBe(res.data!.products.pageInfo.endCursor);
    const next = await api.gql<{ products: { nodes: unknown[] } }, Record<string, unknown>>('query ($after: String) { products(first: 1, after: $after, orderBy: { field: PRICE, direction: DESC }) { nodes { id } } }', {
      after: res.data!.products.pageInfo.endCursor,
    });
    expect(next.data!.products.nodes).toEqual([]);
  });
});
