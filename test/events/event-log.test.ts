import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { keyOf, sellerNodeId } from '../support/ids.js';

const Create = graphql(`
  mutation EventsCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }
`);
const Update = graphql(`
  mutation EventsUpdate($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { version } userErrors { code } } }
`);
const Delete = graphql(`
  mutation EventsDelete($id: ID!) { deleteProduct(id: $id) { deletedProductId } }
`);
const Events = graphql(`
  query EventLog($first: Int, $after: String, $filter: EventFilter) {
    events(first: $first, after: $after, filter: $filter) {
      edges { cursor }
      pageInfo { hasNextPage hasPreviousPage endCursor }
      nodes {
        __typename cursor sequence eventId eventType timestamp sellerId productId
        ... on ProductCreated { product { id sku name price quantity reserved version } }
        ... on ProductUpdated { changes { name price quantity description sku } product { name version } }
        ... on ProductDeleted { product { id name } }
        ... on LowStockWarning { currentQuantity threshold }
      }
    }
  }
`);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

describe('event log', () => {
  it('writes ProductCreated, ProductUpdated with only the changed fields, and ProductDeleted', async () => {
    const seller = 'events-lifecycle';
    const created = await api.gql(Create, { input: { sku: 'EV-1', name: 'Lamp', price: '20.00', category: 'Light', quantity: 8, lowStockThreshold: 2 } }, { seller });
    const id = created.data!.createProduct.product!.id;
    await api.gql(Update, { id, input: { name: 'Desk lamp', price: '19.99' } }, { seller });
    await api.gql(Update, { id, input: { quantity: 2 } }, { seller });
    await api.gql(Delete, { id }, { seller });

    const res = await api.gql(Events, {}, { seller });
    const nodes = res.data!.events.nodes;
    expect(nodes.map((n) => [n.__typename, n.sequence, n.eventType])).toEqual([
      ['ProductCreated', 1, 'PRODUCT_CREATED'],
      ['ProductUpdated', 2, 'PRODUCT_UPDATED'],
      ['ProductUpdated', 3, 'PRODUCT_UPDATED'],
      ['LowStockWarning', 4, 'LOW_STOCK_WARNING'],
      ['ProductDeleted', 5, 'PRODUCT_DELETED'],
    ]);
    expect(nodes[0]).toMatchObject({ product: { id, sku: 'EV-1', name: 'Lamp', price: '20.00', quantity: 8, reserved: 0, version: 1 } });
    expect(nodes[1]).toMatchObject({
      changes: { name: 'Desk lamp', price: '19.99', quantity: null, description: null, sku: null },
      product: { name: 'Desk lamp', version: 2 },
    });
    expect(nodes[2]).toMatchObject({ changes: { quantity: 2, name: null } });
    expect(nodes[3]).toMatchObject({ currentQuantity: 2, threshold: 2 });
    expect(nodes[4]).toMatchObject({ product: { id, name: 'Desk lamp' } });
    for (const n of nodes) {
      expect(n.sellerId).toBe(sellerNodeId(seller));
      expect(n.productId).toBe(id);
      expect(n.eventId).toBe(`${seller}-${keyOf(id)}-${n.__typename}-${n.timestamp}`);
      expect(n.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    expect(new Set(nodes.map((n) => n.eventId)).size).toBe(nodes.length);
  });

  it('stores the contract JSON with prices as strings', async () => {
    const seller = 'events-json';
    await api.gql(Create, { input: { name: 'Json', price: '0.10', category: 'C' } }, { seller });
    const row = await api.infra.db.event.findFirstOrThrow({ where: { sellerId: seller } });
    expect(row.payload).toMatchObject({ sellerId: seller, productId: expect.any(Number), product: { price: '0.10', name: 'Json' } });
  });

  it('writes ProductCreated with every field of the product as stored, nulls and timestamps included', async () => {
    const seller = 'events-created-json';
    const inputs = [
      { name: 'Bare', price: '7.5', category: 'C' },
      { sku: 'FULL-1', name: 'Full "quoted" ünïcode', description: 'line\nbreak', price: '123456.78', category: 'D', quantity: 3, lowStockThreshold: 0 },
    ];
    for (const input of inputs) {
      const created = await api.gql(Create, { input }, { seller });
      expect(created.data!.createProduct.userErrors).toEqual([]);
    }
    const events = await api.infra.db.event.findMany({ where: { sellerId: seller }, orderBy: { sequence: 'asc' } });
    const products = await api.infra.db.product.findMany({ where: { sellerId: seller }, orderBy: { id: 'asc' } });
    expect(events).toHaveLength(2);
    events.forEach((event, i) => {
      const p = products[i]!;
      expect(event.payload).toEqual({
        sellerId: seller,
        productId: p.id,
        product: {
          id: p.id,
          sku: p.sku,
          name: p.name,
          description: p.description,
          price: p.price.toFixed(2),
          category: p.category,
          quantity: p.quantity,
          reserved: 0,
          lowStockThreshold: p.lowStockThreshold,
          version: 1,
          createdAt: p.createdAt.toISOString(),
          updatedAt: p.updatedAt.toISOString(),
        },
      });
    });
    expect(events.map((e) => (e.payload as { product: { price: string } }).product.price)).toEqual(['7.50', '123456.78']);
    const movements = await api.infra.db.stockMovement.findMany({ where: { sellerId: seller } });
    expect(movements.map((m) => [m.productId, m.delta, m.reason])).toEqual([[products[1]!.id, 3, 'RECEIVED']]);
  });

  it('gives 20 concurrent mutations of one seller 20 events with consecutive sequences', async () => {
    const seller = 'events-concurrent';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.gql(Create, { input: { name: `P${i}`, price: '1', category: 'C' } }, { seller })),
    );
    expect(results.every((r) => r.data?.createProduct.userErrors.length === 0)).toBe(true);
    const res = await api.gql(Events, { first: 100 }, { seller });
    expect(res.data!.events.nodes.map((n) => n.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const timestamps = res.data!.events.nodes.map((n) => Date.parse(n.timestamp));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
  });

  it('writes no event for a failed or refused mutation', async () => {
    const seller = 'events-failed';
    const created = await api.gql(Create, { input: { sku: 'ONE', name: 'One', price: '1', category: 'C' } }, { seller });
    const id = created.data!.createProduct.product!.id;
    await api.gql(Create, { input: { sku: 'ONE', name: 'Dup', price: '1', category: 'C' } }, { seller });
    await api.gql(Update, { id, input: { name: 'x', expectedVersion: 9 } }, { seller });
    await api.gql(Update, { id, input: { price: '-1' } }, { seller });
    const res = await api.gql(Events, {}, { seller });
    expect(res.data!.events.nodes.map((n) => n.eventType)).toEqual(['PRODUCT_CREATED']);
    const seq = await api.infra.db.seller.findUniqueOrThrow({ where: { id: seller } });
    expect(seq.eventSequence).toBe(1);
  });

  it('pages the log with cursors and filters by type and product', async () => {
    const seller = 'events-paging';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.gql(Create, { input: { name: `E${i}`, price: '1', category: 'C' } }, { seller });
      ids.push(res.data!.createProduct.product!.id);
      await api.gql(Update, { id: ids[i]!, input: { name: `E${i}!` } }, { seller });
    }
    const page1 = await api.gql(Events, { first: 4 }, { seller });
    expect(page1.data!.events.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await api.gql(Events, { first: 100, after: page1.data!.events.pageInfo.endCursor }, { seller });
    expect(page2.data!.events.nodes.map((n) => n.sequence)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(page2.data!.events.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(page2.data!.events.edges.map((e) => e.cursor)).toEqual(page2.data!.events.nodes.map((n) => n.cursor));

    const created = await api.gql(Events, { filter: { types: ['PRODUCT_CREATED'] } }, { seller });
    expect(created.data!.events.nodes.map((n) => n.sequence)).toEqual([1, 3, 5, 7, 9]);
    const one = await api.gql(Events, { filter: { productId: ids[2] } }, { seller });
    expect(one.data!.events.nodes.map((n) => n.sequence)).toEqual([5, 6]);
    const none = await api.gql(Events, { filter: { productId: toGlobalId('Product', 999999) } }, { seller });
    expect(none.data!.events.nodes).toEqual([]);
    const refused = await api.gql(Events, { filter: { productId: 'not-an-id' } }, { seller });
    expect(refused.errors?.[0]).toMatchObject({ message: 'filter.productId must be a Product id such as "UHJvZHVjdDox"', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('pages the newest events backward with last/before, still oldest first', async () => {
    const seller = 'events-backward';
    for (let i = 0; i < 7; i++) await api.gql(Create, { input: { name: `B${i}`, price: '1', category: 'C' } }, { seller });
    const Newest = graphql(`
      query NewestEvents($last: Int, $before: String) {
        events(last: $last, before: $before) { nodes { sequence } pageInfo { hasPreviousPage hasNextPage startCursor } }
      }
    `);
    const newest = await api.gql(Newest, { last: 3 }, { seller });
    expect(newest.data!.events.nodes.map((n) => n.sequence)).toEqual([5, 6, 7]);
    expect(newest.data!.events.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const older = await api.gql(Newest, { last: 10, before: newest.data!.events.pageInfo.startCursor }, { seller });
    expect(older.data!.events.nodes.map((n) => n.sequence)).toEqual([1, 2, 3, 4]);
    expect(older.data!.events.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });
});
