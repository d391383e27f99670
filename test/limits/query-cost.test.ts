import { getIntrospectionQuery, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/graphql/scalars.js';
import { buildOfflineSchema } from '../../src/graphql/schema.js';
import { operationCost } from '../../src/limits/cost.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueId, waitFor } from '../support/wait.js';

const CREATE = 'createProduct(input: { name: "P", price: "1.00", category: "C" })';

// The documented cost of each operation (README "Limits").
const KNOWN_COSTS: [string, string, Record<string, unknown> | undefined, number][] = [
  ['__typename only', '{ __typename }', undefined, 0],
  ['an object with scalars', '{ viewer { id } }', undefined, 1],
  ['a counted scalar (productCount: a COUNT, 10)', '{ viewer { id productCount } }', undefined, 11],
  ['two single objects', '{ product(id: "1") { name } productBySku(sku: "x") { name } }', undefined, 2],
  ['a page of 50 nodes', '{ products(first: 50) { nodes { id name } } }', undefined, 51],
  ['the default page (20) of edges, pageInfo and totalCount', '{ products { edges { cursor node { id } } pageInfo { hasNextPage } totalCount } }', undefined, 32],
  ['edges and nodes both selected', '{ products(first: 10) { edges { node { id } } nodes { id } } }', undefined, 21],
  ['last instead of first', '{ products(last: 5) { nodes { id } } }', undefined, 6],
  ['an empty page', '{ products(first: 0) { nodes { id } totalCount } }', undefined, 11],
  ['a search of 2 characters: a scan of every product', '{ products(first: 0, filter: { search: "zq" }) { totalCount } }', undefined, 211],
  ['a search of 2 characters from a variable', 'query($f: ProductFilter) { products(first: 1, filter: $f) { nodes { id } } }', { f: { search: "zq" } }, 202],
  ['a search of 2 characters within a category', '{ products(first: 1, filter: { search: "zq", category: "Kitchen" }) { nodes { id } } }', undefined, 12],
  ['a search served by the trigram index', '{ products(first: 10, filter: { search: "mug" }) { nodes { id } } }', undefined, 21],
  ['seller metrics: an aggregate over every product', '{ sellerMetrics { productCount totalUnits } }', undefined, 61],
  ['stock by category: an aggregate', '{ stockByCategory { category } }', undefined, 51],
  ['first from a variable', 'query($n: Int) { products(first: $n) { nodes { id } } }', { n: 100 }, 101],
  ['first from an absent variable (default 20)', 'query($n: Int) { products(first: $n) { nodes { id } } }', {}, 21],
  ['first above the maximum, costed as 100', '{ products(first: 500) { nodes { id } } }', undefined, 101],
  ['a nested connection', '{ products(first: 10) { nodes { id stockMovements(first: 5) { nodes { delta } } } } }', undefined, 71],
  ['events with a fragment of one event type', '{ events(first: 10) { nodes { sequence ... on ProductUpdated { changes { price } } } } }', undefined, 21],
  ['a named fragment spread in two connections', 'query { a: products(first: 2) { ...N } b: products(first: 3) { ...N } } fragment N on ProductConnection { nodes { id } }', undefined, 7],
  ['a mutation', `mutation { ${CREATE} { product { id } userErrors { message } } }`, undefined, 12],
  ['a mutation selecting a connection', `mutation { ${CREATE} { product { stockMovements(first: 10) { nodes { id } } } } }`, undefined, 22],
  ['recommendations: 10 per call plus a page of items', '{ product(id: "1") { recommendations(first: 5) { product { id } score } } }', undefined, 21],
  ['recommendations with the default page of 10', '{ product(id: "1") { recommendations { product { id } } } }', undefined, 31],
  ['recommendations of every product of a page', '{ products(first: 10) { nodes { recommendations(first: 5) { product { id } } } } }', undefined, 211],
  ['a stock forecast: 5', '{ product(id: "1") { stockForecast { method dailyDemand } } }', undefined, 7],
  ['stock-out risks: an aggregate plus the default 20 items', '{ stockoutRisks { product { id } forecast { dailyDemand } } }', undefined, 110],
  ['category suggestions: 20 plus the default 3 items', '{ suggestCategories(name: "Green tea") { category confidence } }', undefined, 23],
  ['skipped fields', 'query($no: Boolean!) { products(first: 50) @skip(if: $no) { nodes { id } } viewer { id } }', { no: true }, 1],
];

describe('operation cost', () => {
  it.each(KNOWN_COSTS)('costs %s as documented', async (_name, query, variables, expected) => {
    expect(operationCost(await buildOfflineSchema(), parse(query), variables)).toBe(expected);
  });

  it('costs the introspection query GraphiQL sends at a few dozen points', async () => {
    const cost = operationCost(await buildOfflineSchema(), parse(getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true })));
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThan(100);
  });

  it('refuses variables that do not fit the operation as BAD_USER_INPUT', async () => {
    expect(() => operationCost({} as never, parse('query($n: Int) { products(first: $n) { nodes { id } } }'), { n: 'ten' })).toThrow();
    try {
      operationCost(await buildOfflineSchema(), parse('query($n: Int) { products(first: $n) { nodes { id } } }'), { n: 'ten' });
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: { code: string } }).extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('cost over HTTP', () => {
  let api: TestApi;
  const BIG_PAGE = '{ products(first: 100) { nodes { id } edges { node { id } } } }'; // 201 points
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_SECOND: '100000' }, { limits: 'default' });
  });
  afterAll(() => api?.stop());

  async function seed(seller: string, count: number) {
    for (let i = 0; i < count; i++) {
      const result = await api.services.catalog.createProduct(seller, { name: `P${i}`, price: new Decimal('1.00'), category: 'C' });
      expect(result.userErrors).toEqual([]);
    }
  }

  it('reports requested and actual cost and the budget on every response, refunding what a short page did not use', async () => {
    const seller = uniqueId('cost-report');
    await seed(seller, 3);
    const res = await api.gql('{ products(first: 50) { nodes { id name } } }', {}, { seller });
    expect(res.status).toBe(200);
    // requested 1 + 50 x 1; the page held 3 products, so 1 + 3 x 1 is charged
    const cost = res.extensions?.['cost'] as { throttleStatus: { currentlyAvailable: number } };
    expect(cost).toMatchObject({ requestedQueryCost: 51, actualQueryCost: 4, throttleStatus: { maximumAvailable: 1000, restoreRate: 50 } });
    // 1000 - 4, or a little more: the bucket refills 50 points/s meanwhile (without the refund it would be 949)
    expect(cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(996);
    expect(cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(1000);
  });

  it('charges mutations their full cost', async () => {
    const seller = uniqueId('cost-mutation');
    const res = await api.gql(`mutation { ${CREATE} { product { id } userErrors { message } } }`, {}, { seller });
    const cost = res.extensions?.['cost'] as { throttleStatus: { currentlyAvailable: number } };
    expect(cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: 12 });
    expect(cost.throttleStatus.currentlyAvailable).toBe(988);
  });

  it('refuses an operation over the per-operation maximum with QUERY_TOO_COMPLEX, and runs none of it', async () => {
    const seller = uniqueId('cost-max');
    const nested = '{ products(first: 100) { nodes { id stockMovements(first: 100) { nodes { id } } } } }'; // 1 + 100 x 102
    const res = await api.gql(nested, {}, { seller });
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'QUERY_COST', requestedQueryCost: 10_201, maximumQueryCost: 1000 });
    expect(res.extensions?.['cost']).toMatchObject({ requestedQueryCost: 10_201, actualQueryCost: null, throttleStatus: { currentlyAvailable: 1000 } });

    // five creates selecting a page of movements each: 5 x (10 + 1 + 1 + 100 x 2) = 1060
    const creates = Array.from({ length: 5 }, (_, i) => `c${i}: ${CREATE} { product { stockMovements(first: 100) { edges { node { id } } nodes { id } } } }`);
    const mutation = await api.gql(`mutation { ${creates.join(' ')} }`, {}, { seller });
    expect(mutation.status).toBe(400);
    expect(mutation.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', requestedQueryCost: 1060 });
    expect(await api.services.catalog.productCount(seller)).toBe(0);
  });

  it('refuses an operation the budget cannot pay with 429 RATE_LIMITED and when to retry, then refills', async () => {
    const seller = uniqueId('cost-budget');
    await seed(seller, 100);
    let refused: Awaited<ReturnType<TestApi['gql']>> | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const res = await api.gql(BIG_PAGE, {}, { seller });
      if (res.status === 429) refused = res;
      else expect(res.extensions?.['cost']).toMatchObject({ requestedQueryCost: 201, actualQueryCost: 201 });
    }
    expect(refused, 'the fifth page of 201 points overdraws 1000').toBeDefined();
    const error = refused!.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'COST_BUDGET', requestedQueryCost: 201 });
    const retryAfterMs = error.extensions!['retryAfterMs'] as number;
    const available = (refused!.extensions!['cost'] as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable;
    expect(available).toBeLessThan(201);
    // the wait is what is missing at 50 points/s
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(Math.ceil(((201 - available) * 1000) / 50));
    expect(refused!.headers.get('retry-after')).toBe(String(Math.ceil(retryAfterMs / 1000)));
    expect(refused!.data ?? null).toBeNull();
    expect(refused!.extensions?.['cost']).toMatchObject({ requestedQueryCost: 201, actualQueryCost: null });

    // the budget refills at restoreRate: currentlyAvailable grows between two reads
    const first = await api.gql('{ viewer { id } }', {}, { seller });
    const before = (first.extensions!['cost'] as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable;
    await waitFor(async () => {
      const res = await api.gql('{ __typename }', {}, { seller });
      const now = (res.extensions!['cost'] as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable;
      return now > before ? now : undefined;
    }, 'the budget to refill');
    // and the refused operation runs once enough has come back
    const retried = await waitFor(async () => {
      const res = await api.gql(BIG_PAGE, {}, { seller });
      return res.status === 200 ? res : undefined;
    }, 'the refused operation to be affordable', 15_000, 200);
    expect(retried.data).toBeTruthy();
  });
});

describe('cost budget across api instances', () => {
  let a: TestApi;
  let b: TestApi;
  beforeAll(async () => {
    const shared = { REDIS_PREFIX: uniqueId('test-limits-cost'), RATE_LIMIT_PER_SECOND: '100000', COST_RESTORE_PER_SECOND: '1' };
    [a, b] = await Promise.all([startTestApi(shared, { limits: 'default' }), startTestApi(shared, { limits: 'default' })]);
  });
  afterAll(() => Promise.all([a?.stop(), b?.stop()]));

  it('shares one budget per seller between instances', async () => {
    const seller = uniqueId('cost-shared');
    // mutations keep their full cost: 10 + 1 (userErrors) each
    const spend = `mutation { ${Array.from({ length: 20 }, (_, i) => `d${i}: deleteProduct(id: "UHJvZHVjdDo5OTk5OTk") { userErrors { code } }`).join(' ')} }`; // 20 x 11 = 220 (a product id that does not exist)
    for (let i = 0; i < 4; i++) {
      const res = await (i % 2 === 0 ? a : b).gql(spend, {}, { seller });
      expect(res.status).toBe(200);
    }
    // 1000 - 4 x 220 = 120 left (plus a point a second): neither instance lets another 220 through
    for (const api of [a, b]) {
      const res = await api.gql(spend, {}, { seller });
      expect(res.status).toBe(429);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'COST_BUDGET' });
      const left = (res.extensions!['cost'] as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable;
      expect(left).toBeGreaterThanOrEqual(120);
      expect(left).toBeLessThan(220);
    }
  });
});
