import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { sellerNodeId } from '../support/ids.js';
import { toGlobalId } from '../../src/graphql/global-id.js';

const Create = graphql(`
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      product { id sellerId sku name description price category quantity reserved available lowStockThreshold isLowStock version createdAt updatedAt }
      userErrors { field message code }
    }
  }
`);

const Update = graphql(`
  mutation UpdateProduct($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) {
      product { id sku name description price category quantity version updatedAt }
      userErrors { field message code }
    }
  }
`);

const Delete = graphql(`
  mutation DeleteProduct($id: ID!) {
    deleteProduct(id: $id) { deletedProductId userErrors { field message code } }
  }
`);

const Read = graphql(`
  query ReadProduct($id: ID!, $sku: String!) {
    product(id: $id) { id name price }
    productBySku(sku: $sku) { id name }
    viewer { id productCount }
  }
`);

const Movements = graphql(`
  query Movements($id: ID!) {
    product(id: $id) { stockMovements(first: 10) { nodes { delta reason quantityAfter note } } }
  }
`);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

describe('product CRUD', () => {
  it('creates a product with exact decimal price and defaults', async () => {
    const res = await api.gql(Create, { input: { sku: 'MUG-1', name: 'Mug', price: '12.50', category: 'Kitchen', quantity: 10 } }, { seller: 'crud-a' });
    expect(res.errors).toBeUndefined();
    const { product, userErrors } = res.data!.createProduct;
    expect(userErrors).toEqual([]);
    expect(product).toMatchObject({
      sellerId: sellerNodeId('crud-a'),
      sku: 'MUG-1',
      name: 'Mug',
      description: null,
      price: '12.50',
      category: 'Kitchen',
      quantity: 10,
      reserved: 0,
      available: 10,
      lowStockThreshold: 5,
      isLowStock: false,
      version: 1,
    });
    expect(Date.parse(product!.createdAt)).not.toBeNaN();
  });

  it('keeps the largest allowed price exact to the cent', async () => {
    const res = await api.gql(Create, { input: { name: 'Exact', price: '999999999999.99', category: 'X' } }, { seller: 'crud-a' });
    expect(res.data!.createProduct.userErrors).toEqual([]);
    expect(res.data!.createProduct.product!.price).toBe('999999999999.99');
  });

  it('reads by id and by SKU, and counts the seller products', async () => {
    const created = await api.gql(Create, { input: { sku: 'READ-1', name: 'Readable', price: '1', category: 'C' } }, { seller: 'crud-read' });
    const id = created.data!.createProduct.product!.id;
    const res = await api.gql(Read, { id, sku: 'READ-1' }, { seller: 'crud-read' });
    expect(res.data).toEqual({
      product: { id, name: 'Readable', price: '1.00' },
      productBySku: { id, name: 'Readable' },
      viewer: { id: sellerNodeId('crud-read'), productCount: 1 },
    });
  });

  it('returns null for a product id that does not exist, and refuses what is not a product id', async () => {
    const missing = await api.gql(Read, { id: toGlobalId('Product', 999999), sku: 'nope' }, { seller: 'crud-read' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.product).toBeNull();
    for (const id of ['999999', 'abc', '-1', '0', '99999999999999999999', toGlobalId('Product', 0), toGlobalId('Order', 1)]) {
      const res = await api.gql(Read, { id, sku: 'nope' }, { seller: 'crud-read' });
      expect(res.errors?.[0]).toMatchObject({ message: 'id must be a Product id such as "UHJvZHVjdDox"', extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
    }
  });

  it('updates only the given fields and bumps the version', async () => {
    const created = await api.gql(Create, { input: { sku: 'UPD-1', name: 'Old', description: 'keep', price: '5.00', category: 'C', quantity: 3 } }, { seller: 'crud-a' });
    const id = created.data!.createProduct.product!.id;
    const res = await api.gql(Update, { id, input: { name: 'New', price: '5.5' } }, { seller: 'crud-a' });
    expect(res.data!.updateProduct.userErrors).toEqual([]);
    expect(res.data!.updateProduct.product).toMatchObject({ name: 'New', description: 'keep', price: '5.50', sku: 'UPD-1', quantity: 3, version: 2 });

    const cleared = await api.gql(Update, { id, input: { description: null, sku: null } }, { seller: 'crud-a' });
    expect(cleared.data!.updateProduct.product).toMatchObject({ description: null, sku: null, version: 3 });
  });

  it('does not bump the version when nothing changes', async () => {
    const created = await api.gql(Create, { input: { name: 'Same', price: '1.00', category: 'C' } }, { seller: 'crud-a' });
    const id = created.data!.createProduct.product!.id;
    const res = await api.gql(Update, { id, input: { name: 'Same', price: '1' } }, { seller: 'crud-a' });
    expect(res.data!.updateProduct.product!.version).toBe(1);
  });

  it('records initial stock and quantity corrections as stock movements', async () => {
    const created = await api.gql(Create, { input: { name: 'Stocked', price: '1.00', category: 'C', quantity: 7 } }, { seller: 'crud-a' });
    const id = created.data!.createProduct.product!.id;
    await api.gql(Update, { id, input: { quantity: 4 } }, { seller: 'crud-a' });
    const res = await api.gql(Movements, { id }, { seller: 'crud-a' });
    expect(res.data!.product!.stockMovements.nodes).toEqual([
      { delta: 7, reason: 'RECEIVED', quantityAfter: 7, note: 'initial stock' },
      { delta: -3, reason: 'CORRECTION', quantityAfter: 4, note: 'updateProduct' },
    ]);
  });

  it('rejects a stale expectedVersion with VERSION_CONFLICT and changes nothing', async () => {
    const created = await api.gql(Create, { input: { name: 'Versioned', price: '1.00', category: 'C' } }, { seller: 'crud-a' });
    const id = created.data!.createProduct.product!.id;
    const first = await api.gql(Update, { id, input: { name: 'V2', expectedVersion: 1 } }, { seller: 'crud-a' });
    expect(first.data!.updateProduct.product!.version).toBe(2);
    const stale = await api.gql(Update, { id, input: { name: 'V3', expectedVersion: 1 } }, { seller: 'crud-a' });
    expect(stale.data!.updateProduct).toEqual({
      product: null,
      userErrors: [{ field: ['input', 'expectedVersion'], message: 'The product is at version 2, not 1', code: 'VERSION_CONFLICT' }],
    });
    const read = await api.gql(Read, { id, sku: 'x' }, { seller: 'crud-a' });
    expect(read.data!.product!.name).toBe('V2');
  });

  it('refuses a SKU the seller already uses with TAKEN, on create and update', async () => {
    await api.gql(Create, { input: { sku: 'DUP', name: 'One', price: '1', category: 'C' } }, { seller: 'crud-dup' });
    const dup = await api.gql(Create, { input: { sku: 'DUP', name: 'Two', price: '1', category: 'C' } }, { seller: 'crud-dup' });
    expect(dup.data!.createProduct.userErrors).toEqual([{ field: ['input', 'sku'], message: 'Another product of this seller has this SKU', code: 'TAKEN' }]);
    const other = await api.gql(Create, { input: { sku: 'OTHER', name: 'Three', price: '1', category: 'C' } }, { seller: 'crud-dup' });
    const upd = await api.gql(Update, { id: other.data!.createProduct.product!.id, input: { sku: 'DUP' } }, { seller: 'crud-dup' });
    expect(upd.data!.updateProduct.userErrors[0]!.code).toBe('TAKEN');
    const count = await api.gql(Read, { id: other.data!.createProduct.product!.id, sku: 'DUP' }, { seller: 'crud-dup' });
    expect(count.data!.viewer.productCount).toBe(2);
  });

  it('lets another seller use the same SKU', async () => {
    const a = await api.gql(Create, { input: { sku: 'SHARED', name: 'A', price: '1', category: 'C' } }, { seller: 'crud-s1' });
    const b = await api.gql(Create, { input: { sku: 'SHARED', name: 'B', price: '1', category: 'C' } }, { seller: 'crud-s2' });
    expect(a.data!.createProduct.userErrors).toEqual([]);
    expect(b.data!.createProduct.userErrors).toEqual([]);
  });

  it('deletes a product, after which it reads as not found', async () => {
    const created = await api.gql(Create, { input: { sku: 'DEL-1', name: 'Doomed', price: '1', category: 'C' } }, { seller: 'crud-a' });
    const id = created.data!.createProduct.product!.id;
    const res = await api.gql(Delete, { id }, { seller: 'crud-a' });
    expect(res.data!.deleteProduct).toEqual({ deletedProductId: id, userErrors: [] });
    const read = await api.gql(Read, { id, sku: 'DEL-1' }, { seller: 'crud-a' });
    expect(read.data!.product).toBeNull();
    expect(read.data!.productBySku).toBeNull();
    const again = await api.gql(Delete, { id }, { seller: 'crud-a' });
    expect(again.data!.deleteProduct).toEqual({ deletedProductId: null, userErrors: [{ field: ['id'], message: 'Product not found', code: 'NOT_FOUND' }] });
  });
});
