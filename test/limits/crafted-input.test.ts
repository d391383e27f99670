import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/graphql/scalars.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { sellerNodeId } from '../support/ids.js';

const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.services.catalog.createProduct('crafted', { name: 'P', price: new Decimal('1.00'), category: 'C', quantity: 3 });
});
afterAll(() => api?.stop());

const CRAFTED: [string, string, Record<string, unknown>][] = [
  ['a QUANTITY cursor of 1e20', 'query ($after: String) { products(after: $after, orderBy: { field: QUANTITY, direction: ASC }) { nodes { id } } }', { after: cursor(['product', 'QUANTITY', 1e20, 1]) }],
  ['a product cursor with an id of 2^53-1', 'query ($after: String) { products(after: $after) { nodes { id } } }', { after: cursor(['product', 'CREATED_AT', '2026-01-01T00:00:00.000Z', 2 ** 53 - 1]) }],
  ['a product cursor dated in year 0', 'query ($after: String) { products(after: $after) { nodes { id } } }', { after: cursor(['product', 'CREATED_AT', '0000-01-01T00:00:00.000Z', 1]) }],
  ['an event cursor with sequence 2^53-1', 'query ($after: String) { events(after: $after) { nodes { sequence } } }', { after: cursor(['event', 'crafted', 2 ** 53 - 1]) }],
  ['a 19-digit jobs cursor', 'query ($after: String) { jobs(after: $after) { nodes { id } } }', { after: cursor(['job', '9999999999999999999']) }],
  ['eventCounts since year 0', 'query ($since: DateTime) { sellerMetrics { eventCounts(since: $since) { count } } }', { since: '0000-01-01T00:00:00Z' }],
];

describe('crafted input', () => {
  it.each(CRAFTED)('answers %s with BAD_USER_INPUT, never INTERNAL_SERVER_ERROR', async (_name, query, variables) => {
    const res = await api.gql(query, variables, { seller: 'crafted' });
    expect(res.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a year-0 DateTime literal as invalid, with a 400', async () => {
    const res = await api.gql('{ sellerMetrics { eventCounts(since: "0000-01-01T00:00:00Z") { count } } }', {}, { seller: 'crafted' });
    expect(res.status).toBe(400);
    expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'since', field: 'since' }]);
    expect(res.errors?.[0]?.message).toMatch(/between 0001-01-01 and 9999-12-31/);
  });

  it('checks an unused array of 300,000 items in variables for NUL without overflowing the stack', async () => {
    const res = await api.gql('{ viewer { id } }', { unused: Array.from({ length: 300_000 }, () => 0) } as never, { seller: 'crafted' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { id: sellerNodeId('crafted') } });
    const withNul = await api.gql('{ viewer { id } }', { unused: [...Array.from({ length: 300_000 }, () => 0), 'a\u0000'] } as never, { seller: 'crafted' });
    expect(withNul.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});
