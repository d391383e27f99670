import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { keyOf } from '../support/ids.js';

const Create = graphql(`
  mutation ValidateCreate($input: CreateProductInput!) {
    createProduct(input: $input) { product { id } userErrors { field message code } }
  }
`);
const Update = graphql(`
  mutation ValidateUpdate($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) { product { id } userErrors { field message code } }
  }
`);
const State = graphql(`
  query ValidationState { viewer { productCount } events(first: 100) { nodes { sequence } } }
`);

const valid = { sku: 'OK-1', name: 'Valid', price: '10.00', category: 'Cat', quantity: 1, lowStockThreshold: 0 };
const SELLER = 'validation-seller';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const broken: [string, Record<string, unknown>, string][] = [
  ['blank name', { name: '   ' }, 'name'],
  ['empty name', { name: '' }, 'name'],
  ['name over 255 characters', { name: 'n'.repeat(256) }, 'name'],
  ['SKU with a space', { sku: 'has space' }, 'sku'],
  ['empty SKU', { sku: '' }, 'sku'],
  ['SKU over 100 characters', { sku: 'S'.repeat(101) }, 'sku'],
  ['SKU with unicode', { sku: 'ÄBC' }, 'sku'],
  ['negative price', { price: '-0.01' }, 'price'],
  ['price with 3 decimals', { price: '1.001' }, 'price'],
  ['price beyond the column', { price: '1000000000000' }, 'price'],
  ['negative quantity', { quantity: -1 }, 'quantity'],
  ['negative threshold', { lowStockThreshold: -5 }, 'lowStockThreshold'],
  ['blank category', { category: ' ' }, 'category'],
  ['category over 100 characters', { category: 'c'.repeat(101) }, 'category'],
  ['description over 10000 characters', { description: 'd'.repeat(10_001) }, 'description'],
];

describe('createProduct validation', () => {
  it.each(broken)('refuses a %s with a userError on its field', async (_name, override, field) => {
    const res = await api.gql(Create, { input: { ...valid, ...override } as never }, { seller: SELLER });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createProduct.product).toBeNull();
    expect(res.data!.createProduct.userErrors).toHaveLength(1);
    expect(res.data!.createProduct.userErrors[0]).toMatchObject({ field: ['input', field], code: 'INVALID' });
    expect(res.data!.createProduct.userErrors[0]!.message.length).toBeGreaterThan(5);
  });

  it('reports every broken rule at once', async () => {
    const res = await api.gql(Create, { input: { name: '', price: '-1', category: '', sku: '!', quantity: -1 } }, { seller: SELLER });
    const fields = res.data!.createProduct.userErrors.map((e) => e.field?.[1]).sort();
    expect(fields).toEqual(['category', 'name', 'price', 'quantity', 'sku']);
  });

  it('refuses a malformed decimal as a bad request before anything runs', async () => {
    for (const price of ['abc', '1e5', '1,00', '', ' 1', 'NaN']) {
      const res = await api.gql(Create, { input: { ...valid, price } }, { seller: SELLER });
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const asNumber = await api.gql('mutation { createProduct(input: {name: "x", price: 1.5, category: "c"}) { product { id } } }', undefined, { seller: SELLER });
    expect(asNumber.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input', field: 'input.price' });
  });

  it('wrote nothing for any refused input', async () => {
    const res = await api.gql(State, {}, { seller: SELLER });
    expect(res.data).toEqual({ viewer: { productCount: 0 }, events: { nodes: [] } });
  });
});

describe('updateProduct validation', () => {
  it.each([
    ['null name', { name: null }, 'name'],
    ['null price', { price: null }, 'price'],
    ['null category', { category: null }, 'category'],
    ['null quantity', { quantity: null }, 'quantity'],
    ['null threshold', { lowStockThreshold: null }, 'lowStockThreshold'],
    ['zero expectedVersion', { expectedVersion: 0 }, 'expectedVersion'],
    ...broken,
  ] as [string, Record<string, unknown>, string][])('refuses a %s and leaves the product as it was', async (_name, override, field) => {
    const seller = 'validation-update';
    const created = await api.gql(Create, { input: { ...valid, sku: null } }, { seller });
    const id = created.data!.createProduct.product!.id;
    const res = await api.gql(Update, { id, input: override as never }, { seller });
    expect(res.data!.updateProduct.product).toBeNull();
    expect(res.data!.updateProduct.userErrors[0]).toMatchObject({ field: ['input', field], code: 'INVALID' });
    const events = await api.gql(
      graphql(`query UpdateValidationEvents($id: ID!) { events(filter: { productId: $id }) { nodes { eventType } } }`),
      { id },
      { seller },
    );
    expect(events.data!.events.nodes).toEqual([{ eventType: 'PRODUCT_CREATED' }]);
  });

  it('refuses a quantity below the reserved units', async () => {
    // reserved can only be raised by reservations, so this goes through the service directly
    const seller = 'validation-reserved';
    const created = await api.gql(Create, { input: { ...valid, quantity: 5 } }, { seller });
    const id = created.data!.createProduct.product!.id;
    await api.infra.db.product.update({ where: { id: keyOf(id) }, data: { reserved: 3 } });
    const res = await api.gql(Update, { id, input: { quantity: 2 } }, { seller });
    expect(res.data!.updateProduct.userErrors).toEqual([
      { field: ['input', 'quantity'], message: 'Quantity cannot go below the 3 units held by reservations', code: 'INVALID' },
    ]);
  });
});
