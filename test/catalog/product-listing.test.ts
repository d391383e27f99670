import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import type { ProductOrderField, OrderDirection, ProductFilter } from '../generated/graphql.js';
import { startTestApi, type GraphQLResponse, type TestApi } from '../support/api.js';
import type { ListProductsQuery } from '../generated/graphql.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { drainSearchQueue } from '../../src/modules/catalog/search-index.jobs.js';
import { searchSql } from '../../src/modules/catalog/search-index.repository.js';

type ListResult = GraphQLResponse<ListProductsQuery>;

const List = graphql(`
  query ListProducts($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter, $orderBy: ProductOrder) {
    products(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      edges { cursor node { id name price quantity category } }
      nodes { id }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
    }
  }
`);
const Create = graphql(`
  mutation ListingCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);

const SELLER = 'listing-seller';
let api: TestApi;

// 25 products; prices repeat so PRICE ordering has ties that the id must break.
const catalog = Array.from({ length: 25 }, (_, i) => ({
  sku: `LIST-${String(i).padStart(2, '0')}`,
  name: `${['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'][i % 5]} ${i}`,
  description: i === 7 ? 'contains 100% cotton_blend' : `item ${i}`,
  price: ['1.00', '2.50', '2.50', '10.00', '99.99'][i % 5]!,
  category: i % 2 === 0 ? 'Even' : 'Odd',
  quantity: i % 6,
  lowStockThreshold: 2,
}));

beforeAll(async () => {
  api = await startTestApi();
  for (const input of catalog) {
    const res = await api.gql(Create, { input }, { seller: SELLER });
    expect(res.data!.createProduct.userErrors).toEqual([]);
  }
  await api.gql(Create, { input: { name: 'Alpha of another seller', price: '1', category: 'Even' } }, { seller: 'listing-other' });
});
afterAll(() => api?.stop());

async function listAll(field: ProductOrderField, direction: OrderDirection, pageSize: number, filter?: ProductFilter) {
  const names: string[] = [];
  let after: string | null | undefined = null;
  for (let page = 0; page < 30; page++) {
    const res: ListResult = await api.gql(List, { first: pageSize, after, orderBy: { field, direction }, filter }, { seller: SELLER });
    expect(res.errors).toBeUndefined();
    const conn = res.data!.products;
    names.push(...conn.edges.map((e) => e.node.name));
    if (!conn.pageInfo.hasNextPage) return names;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

async function listAllBackward(field: ProductOrderField, direction: OrderDirection, pageSize: number) {
  const names: string[] = [];
  let before: string | null | undefined = null;
  for (let page = 0; page < 30; page++) {
    const res: ListResult = await api.gql(List, { last: pageSize, before, orderBy: { field, direction } }, { seller: SELLER });
    const conn = res.data!.products;
    names.unshift(...conn.edges.map((e) => e.node.name));
    if (!conn.pageInfo.hasPreviousPage) return names;
    before = conn.pageInfo.startCursor;
  }
  throw new Error('pagination did not end');
}

function sortedNames(field: 'name' | 'price' | 'quantity', descending: boolean) {
  const withIds = catalog.map((p, index) => ({ ...p, index }));
  const key = (p: (typeof withIds)[number]) => (field === 'price' ? Number(p.price) : field === 'quantity' ? p.quantity : p.name);
  withIds.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.index - b.index;
    return descending ? -c : c;
  });
  return withIds.map((p) => p.name);
}

describe('products pagination', () => {
  it('defaults to 20 per page in creation order with totalCount over all pages', async () => {
    const res = await api.gql(List, {}, { seller: SELLER });
    const conn = res.data!.products;
    expect(conn.edges).toHaveLength(20);
    expect(conn.nodes.map((n) => n.id)).toEqual(conn.edges.map((e) => e.node.id));
    expect(conn.totalCount).toBe(25);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(conn.edges[0]!.node.name).toBe('Alpha 0');
  });

  it.each([
    ['PRICE', 'ASC', 'price', false],
    ['PRICE', 'DESC', 'price', true],
    ['QUANTITY', 'ASC', 'quantity', false],
    ['NAME', 'DESC', 'name', true],
  ] as const)('pages forward by %s %s through ties without gaps or repeats', async (field, direction, key, desc) => {
    expect(await listAll(field, direction, 4)).toEqual(sortedNames(key, desc));
  });

  it.each([
    ['PRICE', 'ASC', 'price', false],
    ['QUANTITY', 'DESC', 'quantity', true],
  ] as const)('pages backward by %s %s to the same order', async (field, direction, key, desc) => {
    expect(await listAllBackward(field, direction, 3)).toEqual(sortedNames(key, desc));
  });

  it('reports previous and next pages in the middle of the list', async () => {
    const first = await api.gql(List, { first: 5, orderBy: { field: 'PRICE', direction: 'ASC' } }, { seller: SELLER });
    const second = await api.gql(List, { first: 5, after: first.data!.products.pageInfo.endCursor, orderBy: { field: 'PRICE', direction: 'ASC' } }, { seller: SELLER });
    expect(second.data!.products.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const back = await api.gql(List, { last: 5, before: second.data!.products.pageInfo.startCursor, orderBy: { field: 'PRICE', direction: 'ASC' } }, { seller: SELLER });
    expect(back.data!.products.edges.map((e) => e.node.id)).toEqual(first.data!.products.edges.map((e) => e.node.id));
    expect(back.data!.products.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('refuses page sizes outside 0..100 and mixed directions', async () => {
    for (const vars of [{ first: 101 }, { first: -1 }, { last: 500 }, { first: 1, last: 1 }]) {
      const res = await api.gql(List, vars, { seller: SELLER });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses forged cursors and cursors of another ordering', async () => {
    const byPrice = await api.gql(List, { first: 1, orderBy: { field: 'PRICE', direction: 'ASC' } }, { seller: SELLER });
    const cursor = byPrice.data!.products.pageInfo.endCursor!;
    const wrongOrder = await api.gql(List, { first: 1, after: cursor, orderBy: { field: 'NAME', direction: 'ASC' } }, { seller: SELLER });
    expect(wrongOrder.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const forged = Buffer.from(JSON.stringify(['product', 'PRICE', "1; DROP TABLE products", 1])).toString('base64url');
    for (const after of ['garbage', forged, 'x'.repeat(5000)]) {
      const res = await api.gql(List, { first: 1, after, orderBy: { field: 'PRICE', direction: 'ASC' } }, { seller: SELLER });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('products filters', () => {
  const names = async (filter: ProductFilter) => (await listAll('CREATED_AT', 'ASC', 100, filter)).sort();
  const expected = (pred: (p: (typeof catalog)[number]) => boolean) => catalog.filter(pred).map((p) => p.name).sort();

  it('searches name, description and SKU case-insensitively', async () => {
    expect(await names({ search: 'charlie' })).toEqual(expected((p) => p.name.startsWith('Charlie')));
    expect(await names({ search: 'list-1' })).toEqual(expected((p) => p.sku.startsWith('LIST-1')));
    expect(await names({ search: '100%' })).toEqual(['Charlie 7']);
    expect(await names({ search: 'n_b' })).toEqual(['Charlie 7']);
    expect(await names({ search: '%' })).toEqual(['Charlie 7']);
  });

  it('filters by category, price range and stock', async () => {
    expect(await names({ category: 'Odd' })).toEqual(expected((p) => p.category === 'Odd'));
    expect(await names({ minPrice: '2.50', maxPrice: '10' })).toEqual(expected((p) => Number(p.price) >= 2.5 && Number(p.price) <= 10));
    expect(await names({ inStock: true })).toEqual(expected((p) => p.quantity > 0));
    expect(await names({ inStock: false })).toEqual(expected((p) => p.quantity === 0));
    expect(await names({ lowStock: true })).toEqual(expected((p) => p.quantity <= 2));
    expect(await names({ lowStock: false, category: 'Even' })).toEqual(expected((p) => p.quantity > 2 && p.category === 'Even'));
  });

  it('counts only what the filter matches', async () => {
    const res = await api.gql(List, { first: 1, filter: { category: 'Even' } }, { seller: SELLER });
    expect(res.data!.products.totalCount).toBe(catalog.filter((p) => p.category === 'Even').length);
  });

  it('uses the trigram index for search, not a scan of the seller catalog', async () => {
    const db = api.infra.db;
    await db.$executeRawUnsafe(`
      INSERT INTO products (seller_id, sku, name, description, price, category, quantity)
      SELECT 'search-big', 'BIG-' || i, 'Generic product ' || i, md5(i::text), 1, 'Bulk', 1 FROM generate_series(1, 20000) AS i`);
    await drainSearchQueue(api.infra, 5000);
    // VACUUM also flushes the GIN pending list, as autovacuum would
    await db.$executeRawUnsafe('VACUUM ANALYZE product_search');
    await db.$executeRawUnsafe('ANALYZE products');
    const plan = await db.$queryRaw<{ 'QUERY PLAN': string }[]>(
      Prisma.sql`EXPLAIN SELECT * FROM products WHERE seller_id = 'search-big' AND ${searchSql('search-big', 'uct 4242')}`,
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('product_search_doc_trgm_idx');
    expect(text).not.toContain('Seq Scan on products');
  });

  it('sums units, available stock and low-stock products per category', async () => {
    const res = await api.gql(graphql(`query CategoryStock { stockByCategory { category productCount units available lowStockCount } }`), {}, { seller: SELLER });
    const expectFor = (category: string) => {
      const items = catalog.filter((p) => p.category === category);
      const units = items.reduce((sum, p) => sum + p.quantity, 0);
      return { category, productCount: items.length, units, available: units, lowStockCount: items.filter((p) => p.quantity <= 2).length };
    };
    expect(res.data!.stockByCategory).toEqual([expectFor('Even'), expectFor('Odd')]);
  });
});
