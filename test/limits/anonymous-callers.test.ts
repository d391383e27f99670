import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { sellerNodeId } from '../support/ids.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ APQ_MAX_QUERY_BYTES: '4096', APQ_MAX_PER_SELLER: '2', RATE_LIMIT_PER_SECOND: '100000' }, { limits: 'default' });
});
afterAll(() => api?.stop());

async function register(query: string, authorization?: string) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

async function storedQueries(): Promise<number> {
  return (await api.infra.redis.keys(`${api.infra.config.redisPrefix}:apq:*`)).length;
}

describe('persisted queries', () => {
  it('refuses a registration without a token, and stores nothing', async () => {
    const query = `{ __typename a: __typename } # ${'x'.repeat(3000)}`;
    const res = await register(query);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(await storedQueries()).toBe(0);
  });

  it('refuses a query over APQ_MAX_QUERY_BYTES, even with a token', async () => {
    const res = await register(`{ viewer { id } } # ${'x'.repeat(5000)}`, `Bearer ${await api.token('apq-big')}`);
    expect(res.status).toBe(413);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', maxBytes: 4096 });
    expect(await storedQueries()).toBe(0);
  });

  it('keeps at most APQ_MAX_PER_SELLER queries per seller; a held one renews and runs by its hash', async () => {
    const token = `Bearer ${await api.token('apq-count')}`;
    const queries = ['{ viewer { id } }', '{ viewer { id productCount } }', '{ a: viewer { id } }'];
    expect((await register(queries[0]!, token)).status).toBe(200);
    expect((await register(queries[1]!, token)).status).toBe(200);
    const third = await register(queries[2]!, token);
    expect(third.status).toBe(429);
    expect(third.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'PERSISTED_QUERIES', maximum: 2 });
    expect(third.headers.get('retry-after')).not.toBeNull();
    expect((await register(queries[0]!, token)).status).toBe(200);

    const byHash = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(queries[1]!) } } }),
    });
    expect(((await byHash.json()) as { data: unknown }).data).toEqual({ viewer: { id: sellerNodeId('apq-count'), productCount: 0 } });
    // another seller has its own count
    expect((await register(queries[2]!, `Bearer ${await api.token('apq-other')}`)).status).toBe(200);
  });
});

describe('anonymous introspection', () => {
  it('is charged its full cost: the answer comes from the schema, nothing is refunded', async () => {
    const res = await api.gql(getIntrospectionQuery(), {}, { seller: null, headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(200);
    const cost = res.extensions?.['cost'] as { requestedQueryCost: number; actualQueryCost: number; throttleStatus: { currentlyAvailable: number } };
    expect(cost.requestedQueryCost).toBeGreaterThan(10);
    expect(cost.actualQueryCost).toBe(cost.requestedQueryCost);
    expect(cost.throttleStatus.currentlyAvailable).toBeLessThan(1000);
  });

  it('is refunded nothing when __schema hides in a fragment either', async () => {
    const res = await api.gql('{ ...F } fragment F on Query { __schema { types { name fields { name } } } }', {}, { seller: 'introspecting-seller' });
    const cost = res.extensions?.['cost'] as { requestedQueryCost: number; actualQueryCost: number };
    expect(cost.requestedQueryCost).toBeGreaterThan(0);
    expect(cost.actualQueryCost).toBe(cost.requestedQueryCost);
  });
});
