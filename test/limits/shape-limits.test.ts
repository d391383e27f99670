import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type GraphQLResponse, type TestApi } from '../support/api.js';
import { uniqueId } from '../support/wait.js';

let api: TestApi;
beforeAll(async () => {
  // our schema is at most 7 fields deep, so the depth limit is lowered to reach it
  api = await startTestApi({ QUERY_MAX_DEPTH: '4', REDIS_PREFIX: uniqueId('test-limits-shape') });
});
afterAll(() => api?.stop());

function expectTooComplex(res: GraphQLResponse<unknown>, reason: string, extra: Record<string, unknown> = {}) {
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason, ...extra });
  expect(res.headers.get('retry-after')).toBeNull();
}

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('shape limits', () => {
  it('refuses an operation deeper than QUERY_MAX_DEPTH, fragments included', async () => {
    const seller = uniqueId('shape-depth');
    // products > nodes > stockMovements > nodes > delta: 5 deep
    expectTooComplex(await api.gql('{ products { nodes { stockMovements { nodes { delta } } } } }', {}, { seller }), 'DEPTH', { maximum: 4, actual: 5 });
    const viaFragment = 'query { products { ...P } } fragment P on ProductConnection { nodes { stockMovements { nodes { delta } } } }';
    expectTooComplex(await api.gql(viaFragment, {}, { seller }), 'DEPTH', { actual: 5 });
    expect((await api.gql('{ products { nodes { stockMovements { totalCount: __typename } } } }', {}, { seller })).status).toBe(200);
  });

  it('refuses more than 30 aliases', async () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ');
    const seller = uniqueId('shape-alias');
    expectTooComplex(await api.gql(`{ viewer { ${fields(31)} } }`, {}, { seller }), 'ALIASES', { maximum: 30, actual: 31 });
    expect((await api.gql(`{ viewer { ${fields(30)} } }`, {}, { seller })).status).toBe(200);
  });

  it('refuses more than 20 root fields', async () => {
    const roots = (n: number) => Array.from({ length: n }, () => 'viewer { id }').join(' ');
    const seller = uniqueId('shape-root');
    expectTooComplex(await api.gql(`{ ${roots(21)} }`, {}, { seller }), 'ROOT_FIELDS', { maximum: 20, actual: 21 });
    expect((await api.gql(`{ ${roots(20)} }`, {}, { seller })).status).toBe(200);
  });

  it('refuses fragments that expand exponentially, quickly', async () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Seller { id }` : `fragment F${i} on Seller { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const started = Date.now();
    const res = await api.gql(`{ viewer { ...F0 } } ${fragments}`, {}, { seller: uniqueId('shape-bomb') });
    expectTooComplex(res, 'QUERY_NODES');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a document of more than 5000 tokens before validating it', async () => {
    const res = await api.gql(`{ viewer { ${Array.from({ length: 5000 }, () => 'id').join(' ')} } }`, {}, { seller: uniqueId('shape-tokens') });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/Document contains more th.. 5000 tokens/);
  });

  it('serves the introspection query GraphiQL sends, without a token, but not recursive introspection', async () => {
    const full = await api.gql(getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }), {}, { seller: null });
    expect(full.status).toBe(200);
    expect(full.extensions?.['cost']).toMatchObject({ actualQueryCost: expect.any(Number) });
    const recursive = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    // graphql-js's MaxIntrospectionDepthRule
    const refused = await api.gql(recursive, {}, { seller: null });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]).toMatchObject({ message: 'Maximum introspection depth exceeded', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('answers a batched (JSON array) request 400: batching is off', async () => {
    const res = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(res.status).toBe(400);
  });
});

describe('request body', () => {
  it('answers a body over 1 MB with 413 and a GraphQL-shaped JSON error', async () => {
    const token = await api.token(uniqueId('body-big'));
    const res = await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024) } }), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      errors: [{ message: 'The request body is larger than 1 MB', extensions: { code: 'BAD_REQUEST', maxBytes: 1048576 } }],
    });
  });

  it('accepts a body just under 1 MB', async () => {
    const token = await api.token(uniqueId('body-ok'));
    const res = await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1000 * 1000) } }), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it('answers malformed JSON with a JSON 400 and no stack trace', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toMatch(/node_modules|at JSON/);
  });
});
