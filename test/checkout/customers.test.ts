import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { createStocked, stockOf } from '../support/stock.js';
import { PlaceCustomerOrder, placeFor } from './checkout-ops.js';

const ReadCustomer = graphql(`
  query CheckoutCustomer($id: ID!) {
    customer(id: $id) { id email name phone createdAt orders(first: 10) { nodes { id customer { id } } } }
  }
`);
const SearchCustomers = graphql(`
  query CheckoutCustomers($search: String, $first: Int, $after: String) {
    customers(search: $search, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id email name } }
  }
`);

const SELLER = 'cust-a';
const OTHER = 'cust-b';
let api: TestApi;
let productId: string;
let otherProductId: string;

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` });
  productId = await createStocked(api, SELLER, 1000);
  otherProductId = await createStocked(api, OTHER, 1000);
});
afterAll(() => api?.stop());

const unique = (name: string) => `${name}-${randomBytes(3).toString('hex')}@Example.com`;

async function placeWith(input: Record<string, unknown>, seller = SELLER, product = productId) {
  const res = await api.gql(PlaceCustomerOrder, { input: { items: [{ productId: product, quantity: 1 }], ...input } }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.placeOrder;
}

describe('customers on orders', () => {
  it('finds the customer by email whatever its case, or creates one; a known customer only gains what it lacked', async () => {
    const email = unique('Ada');
    const first = await placeFor(api, SELLER, productId, 1, { email, name: 'Ada' });
    expect(first.customer).toMatchObject({ email, name: 'Ada', phone: null });
    const second = await placeFor(api, SELLER, productId, 1, { email: email.toUpperCase(), name: 'Someone else', phone: '+1 555 0100' });
    expect(second.customer).toEqual({ id: first.customer!.id, email, name: 'Ada', phone: '+1 555 0100' });
    const third = (await placeWith({ customerId: first.customer!.id })).order!;
    expect(third.customer!.id).toBe(first.customer!.id);

    const read = await api.gql(ReadCustomer, { id: first.customer!.id }, { seller: SELLER });
    expect(read.data!.customer!.orders.nodes.map((o) => o.id)).toEqual([third.id, second.id, first.id]);
  });

  it('makes one customer of concurrent first orders with one new email', async () => {
    const email = unique('race');
    const orders = await Promise.all(Array.from({ length: 8 }, () => placeFor(api, SELLER, productId, 1, { email })));
    expect(new Set(orders.map((o) => o.customer!.id)).size).toBe(1);
    expect(await api.infra.db.customer.count({ where: { sellerId: SELLER, emailKey: email.toLowerCase() } })).toBe(1);
  });

  it('refuses a bad customer and places nothing', async () => {
    const before = await stockOf(api, SELLER, productId);
    expect((await placeWith({ customer: { email: 'not-an-address', phone: '12' } })).userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'customer', 'email'], message: 'Email must be an address like name@example.com, at most 254 characters' },
      { code: 'INVALID', field: ['input', 'customer', 'phone'], message: 'Phone must be 6-15 digits, optionally with a leading +' },
    ]);
    expect((await placeWith({ customer: { email: unique('x') }, customerId: '1' })).userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'customer'], message: 'Give customerId or customer, not both' },
    ]);
    for (const customerId of ['nonsense', '2147483647', productId]) {
      const res = await api.gql(PlaceCustomerOrder, { input: { items: [{ productId, quantity: 1 }], customerId } }, { seller: SELLER });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customerId' });
    }
    expect((await placeWith({ customerId: toGlobalId('Customer', 2147483647) })).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'customerId'], message: 'Customer not found' },
    ]);
    expect(await stockOf(api, SELLER, productId)).toEqual(before);
  });

  it('searches customers by part of the email or name, any case, a page at a time', async () => {
    const tag = randomBytes(3).toString('hex');
    for (const name of ['Grace', 'Greta', 'Linus']) await placeFor(api, SELLER, productId, 1, { email: `${name.toLowerCase()}.${tag}@example.com`, name });
    const page = await api.gql(SearchCustomers, { search: `${tag.toUpperCase()}`, first: 2 }, { seller: SELLER });
    expect(page.data!.customers).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, nodes: [{ name: 'Linus' }, { name: 'Greta' }] });
    const next = await api.gql(SearchCustomers, { search: tag, first: 2, after: page.data!.customers.pageInfo.endCursor }, { seller: SELLER });
    expect(next.data!.customers.nodes.map((c) => c.name)).toEqual(['Grace']);
    const byName = await api.gql(SearchCustomers, { search: 'gre' }, { seller: SELLER });
    expect(byName.data!.customers.nodes.map((c) => c.name)).toContain('Greta');
    // LIKE wildcards are searched for as themselves
    for (const wildcard of ['%', '_']) expect((await api.gql(SearchCustomers, { search: wildcard }, { seller: SELLER })).data!.customers.totalCount).toBe(0);
  });
});

describe('isolation', () => {
  it("another seller sees none of a seller's customers and cannot order for them", async () => {
    const email = unique('shared');
    const mine = (await placeFor(api, SELLER, productId, 1, { email, name: 'Mine' })).customer!;
    const theirs = (await placeFor(api, OTHER, otherProductId, 1, { email, name: 'Theirs' })).customer!;
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.name).toBe('Theirs');
    expect((await api.gql(ReadCustomer, { id: mine.id }, { seller: OTHER })).data!.customer).toBeNull();
    const list = await api.gql(SearchCustomers, { search: email }, { seller: OTHER });
    expect(list.data!.customers.nodes.map((c) => c.id)).toEqual([theirs.id]);
    expect((await placeWith({ customerId: mine.id }, OTHER, otherProductId)).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'customerId'], message: 'Customer not found' },
    ]);
  });
});
