import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueId } from '../support/wait.js';

// Regressions found by test/fuzz: each of these used to answer INTERNAL_SERVER_ERROR.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const NUL = '\u0000';

describe('text with a NUL character (U+0000), which PostgreSQL cannot store', () => {
  it.each([
    ['a mutation input, inline', `mutation { createProduct(input: { name: "a${'\\u0000'}b", price: "1.00", category: "C" }) { product { id } } }`, undefined],
    ['a mutation input, as a variable', 'mutation($name: String!) { createProduct(input: { name: $name, price: "1.00", category: "C" }) { product { id } } }', { name: `a${NUL}b` }],
    ['a lookup', 'query($sku: String!) { productBySku(sku: $sku) { id } }', { sku: `x${NUL}` }],
    ['a filter', 'query($s: String) { products(filter: { search: $s }) { nodes { id } } }', { s: NUL }],
  ])('is refused in %s as BAD_USER_INPUT, writing nothing', async (_where, query, variables) => {
    const seller = uniqueId('nul');
    const res = await api.gql(query, variables, { seller });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toMatchObject({ message: 'Text must not contain the NUL character (U+0000)', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await api.services.catalog.productCount(seller)).toBe(0);
  });

  it('is refused inside a crafted cursor', async () => {
    const cursor = Buffer.from(JSON.stringify(['product', 'NAME', `a${NUL}`, 1])).toString('base64url');
    const res = await api.gql('query($c: String) { products(after: $c, orderBy: { field: NAME, direction: ASC }) { nodes { id } } }', { c: cursor }, { seller: uniqueId('nul') });
    expect(res.errors?.[0]).toMatchObject({ message: 'Invalid cursor', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe("Apollo's own refusals of malformed requests", () => {
  const post = async (body: unknown) => {
    const token = await api.token(uniqueId('apq-junk'));
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { errors: { message: string; extensions: { code: string } }[] } };
  };

  it.each([
    ['an unsupported persisted-query version', { query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }, 'Unsupported persisted query version'],
    ['a persisted query that is not an object', { extensions: { persistedQuery: 'x' } }, 'Unsupported persisted query version'],
    ['a hash that does not match the query', { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, 'provided sha does not match query'],
  ])('answers %s 400 BAD_REQUEST with its reason', async (_what, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({ message, extensions: { code: 'BAD_REQUEST' } });
  });
});
