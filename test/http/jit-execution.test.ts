import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jitCompilations } from '../../src/graphql/jit-executor.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueId } from '../support/wait.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

describe('compiled execution (graphql-jit)', () => {
  it('compiles a document once: a second identical request compiles nothing', async () => {
    const seller = uniqueId('jit-once');
    const query = `query JitOnce { products(first: 3) { nodes { id name } totalCount } viewer { id ${uniqueId('z').replace(/-/g, '_')}: id } }`;
    const before = jitCompilations();
    const first = await api.gql(query, {}, { seller });
    expect(first.errors).toBeUndefined();
    expect(first.data).toMatchObject({ products: { nodes: [], totalCount: 0 } });
    expect(jitCompilations()).toBe(before + 1);
    const second = await api.gql(query, {}, { seller });
    expect(second.data).toEqual(first.data);
    expect(jitCompilations()).toBe(before + 1);
  });

  it('passes inline Decimal literals to resolvers as decimals, as variables are', async () => {
    const seller = uniqueId('jit-literal');
    const inline = await api.gql<{ createProduct: { product: { price: string } | null; userErrors: unknown[] } }, Record<string, never>>(
      'mutation { createProduct(input: { name: "Inline", price: "18.50", category: "Kitchen", quantity: 2 }) { product { price } userErrors { code } } }',
      {},
      { seller },
    );
    expect(inline.errors).toBeUndefined();
    expect(inline.data?.createProduct).toEqual({ product: { price: '18.50' }, userErrors: [] });
  });

  it('answers an operation name that names no operation, or none given for two, as a client error and runs nothing', async () => {
    const seller = uniqueId('jit-operation');
    const token = await api.token(seller);
    const post = async (body: object) => {
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
    };
    const create = 'mutation Make { createProduct(input: { name: "Never", price: "1.00", category: "x" }) { product { id } } }';
    const unknown = await post({ query: create, operationName: 'Other' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]).toMatchObject({ message: 'Unknown operation named "Other".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    const two = await post({ query: `${create}\nquery Look { viewer { id } }` });
    expect(two.status).toBe(400);
    expect(two.body.errors?.[0]).toMatchObject({ message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    expect(await api.infra.db.product.count({ where: { sellerId: seller } })).toBe(0);
  });

  it('reports a resolver error with its code, path and location', async () => {
    const res = await api.gql('query JitError {\n  product(id: "1") { id }\n}', {}, { seller: uniqueId('jit-error') });
    expect(res.data).toEqual({ product: null });
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['product'], locations: [{ line: 2, column: 3 }], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'id' }) }),
    ]);
  });
});
