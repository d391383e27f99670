import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nulDocumentWalks } from '../../src/graphql/nul-characters.js';
import { actualCostPlans } from '../../src/limits/actual-cost.js';
import { documentCheckWalks } from '../../src/limits/document-checks.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';
import { uniqueId } from '../support/wait.js';
import { sellerNodeId } from '../support/ids.js';

/** A valid document of more than 5,000 tokens (QUERY_MAX_TOKENS), costing far above QUERY_MAX_COST. */
const OVER_TOKENS = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: products(first: 100) { nodes { id stockMovements(first: 100) { nodes { id } } } }`).join(' ')} viewer { ${'__typename '.repeat(5000)} } }`;
const OVER_TOKENS_SUBSCRIPTION = `subscription { productEvents { sequence ${'__typename '.repeat(5000)} } }`;
/** A chain of fragments nested far beyond the token cap (graphql-ws used to close with 4500 on it). */
const NESTED_FRAGMENTS = `{ ...F0 } ${Array.from({ length: 3000 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(' ')} fragment F3000 on Query { viewer { id } }`;
const NUL_MUTATION = 'mutation { createProduct(input: { name: "bad\\u0000name", price: "1.00", category: "C" }) { product { id } } }';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

async function overWs(seller: string, query: string, variables: Record<string, unknown> = {}) {
  const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
  const sub = subscribeWs<unknown>(client, query, variables);
  await sub.waitFor((r) => r.completed || r.closeCode !== undefined, 10_000, 'an answer');
  await client.dispose();
  return sub;
}

async function overSse(seller: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${api.url}/graphql/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await api.token(seller)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe('one admission for HTTP, WebSocket and SSE', () => {
  it('refuses a document over the token cap on every transport; it never runs unchecked', async () => {
    const http = await api.gql(OVER_TOKENS, {}, { seller: 'adm-tokens' });
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');

    const ws = await overWs('adm-tokens', OVER_TOKENS);
    expect(ws.values).toEqual([]);
    expect(ws.closeCode).toBeUndefined();
    expect(ws.errors[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(ws.errors[0]?.message).toMatch(/5000 tokens/);

    const sse = await overSse('adm-tokens', OVER_TOKENS);
    expect(sse.status).toBe(400);
    expect(sse.body.data).toBeUndefined();
    expect(sse.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a subscription over the token cap over WebSocket and SSE, so it takes no slot', async () => {
    const ws = await overWs('adm-sub-tokens', OVER_TOKENS_SUBSCRIPTION);
    expect(ws.errors[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    const sse = subscribeSse(api.url, `Bearer ${await api.token('adm-sub-tokens')}`, OVER_TOKENS_SUBSCRIPTION);
    await sse.waitFor((r) => r.completed || r.errors.length > 0, 10_000, 'sse refusal');
    sse.unsubscribe();
    expect(JSON.stringify(sse.errors)).toMatch(/400/);
    expect(api.infra.bus.streamCount).toBe(0);
  });

  it('answers deeply nested fragments over WebSocket with an error, without closing the socket', async () => {
    const client = wsClient(api.url, `Bearer ${await api.token('adm-nested')}`);
    const nested = subscribeWs<unknown>(client, NESTED_FRAGMENTS);
    await nested.waitFor((r) => r.completed, 10_000, 'refusal');
    expect(nested.closeCode).toBeUndefined();
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX']).toContain(nested.errors[0]?.extensions?.['code']);
    // the connection still serves
    const after = subscribeWs<{ id: string }>(client, '{ viewer { id } }');
    await after.waitFor((r) => r.completed, 10_000, 'a query after');
    expect(after.values).toEqual([{ id: sellerNodeId('adm-nested') }]);
    await client.dispose();
  });

  it('refuses the NUL character over WebSocket and SSE as BAD_USER_INPUT, in the document and in variables', async () => {
    const inDocument = await overWs('adm-nul', NUL_MUTATION);
    expect(inDocument.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const inVariables = await overWs('adm-nul', 'query ($sku: String!) { productBySku(sku: $sku) { id } }', { sku: 'a\u0000b' });
    expect(inVariables.errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const sse = await overSse('adm-nul', NUL_MUTATION);
    expect(sse.status).toBe(400);
    expect(sse.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await api.infra.db.product.count({ where: { sellerId: 'adm-nul' } })).toBe(0);
  });

  it('applies the cost maximum and the alias limit over WebSocket and SSE as over HTTP', async () => {
    const costly = '{ a: products(first: 100) { nodes { id stockMovements(first: 100) { nodes { id } } } } }';
    const ws = await overWs('adm-cost', costly);
    expect(ws.errors[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'QUERY_COST' });
    expect(ws.errors[0]?.extensions?.['http']).toBeUndefined();
    const sse = await overSse('adm-cost', costly);
    expect(sse.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'QUERY_COST' });
  });

  it('answers a subscription sent by HTTP POST with a clear 400', async () => {
    const res = await api.gql('subscription { productEvents { sequence } }', {}, { seller: 'adm-post' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_REQUEST');
    expect(res.errors?.[0]?.message).toMatch(/WebSocket|Server-Sent Events/);
  });

  it('walks a document once: a second identical request runs no NUL, shape or cost walk, and plans no actual-cost walk', async () => {
    const seller = uniqueId('adm-walks');
    const query = `{ products(first: 7) { nodes { id name } } viewer { id ${uniqueId('x').replace(/-/g, '_')}: id } }`;
    const plansBefore = actualCostPlans();
    const first = await api.gql(query, {}, { seller });
    expect(first.errors).toBeUndefined();
    expect(first.extensions?.['cost']).toMatchObject({ requestedQueryCost: 9, actualQueryCost: 2 });
    expect(actualCostPlans()).toBe(plansBefore + 1);
    const walksBefore = { ...documentCheckWalks(), nul: nulDocumentWalks(), plans: actualCostPlans() };
    const second = await api.gql(query, {}, { seller });
    expect(second.errors).toBeUndefined();
    expect(second.extensions?.['cost']).toMatchObject({ requestedQueryCost: 9, actualQueryCost: 2 });
    expect({ ...documentCheckWalks(), nul: nulDocumentWalks(), plans: actualCostPlans() }).toEqual(walksBefore);

    // over WebSocket too: the first request walks, the second does not
    const wsQuery = `{ viewer { id ${uniqueId('y').replace(/-/g, '_')}: id } }`;
    await overWs(seller, wsQuery);
    const wsBefore = { ...documentCheckWalks(), nul: nulDocumentWalks() };
    await overWs(seller, wsQuery);
    expect({ ...documentCheckWalks(), nul: nulDocumentWalks() }).toEqual(wsBefore);
  });
});
