import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { PlaceOrder, UpdateOrderStatus } from '../support/stock.js';
import { eventually } from '../support/subscriptions.js';
import { uniqueId } from '../support/wait.js';
import { INTELLIGENCE_QUEUE, type RecomputeJobData } from '../../src/modules/intelligence/intelligence.jobs.js';
import { recomputeSeller } from '../../src/modules/intelligence/seller-recompute.js';

const IntelCreate = graphql(`
  mutation IntelCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);
const IntelForecast = graphql(`
  query IntelForecast($id: ID!, $horizonDays: Int) {
    product(id: $id) {
      id
      stockForecast(horizonDays: $horizonDays) {
        method dailyDemand dailyDemandLow dailyDemandHigh daysUntilStockout stockoutDate suggestedReorderQuantity historyDays computedAt
      }
    }
  }
`);
const IntelListForecasts = graphql(`
  query IntelListForecasts($first: Int!) {
    products(first: $first) { nodes { id stockForecast { method dailyDemand daysUntilStockout } } }
  }
`);
const IntelRecommendations = graphql(`
  query IntelRecommendations($id: ID!, $kind: RecommendationKind, $first: Int) {
    product(id: $id) { id recommendations(kind: $kind, first: $first) { product { id sellerId name } score reason } }
  }
`);
const IntelSuggest = graphql(`
  query IntelSuggest($name: String!, $description: String, $first: Int) {
    suggestCategories(name: $name, description: $description, first: $first) { category confidence }
  }
`);
const IntelRisks = graphql(`
  query IntelRisks($horizonDays: Int) {
    stockoutRisks(horizonDays: $horizonDays) { product { id sellerId } forecast { method daysUntilStockout dailyDemand } }
  }
`);

/** Recomputes run this long after a seller's first change: long enough to see a read served from the cache before it. */
const RECOMPUTE_DELAY_MS = 1000;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ INTELLIGENCE_RECOMPUTE_DELAY_MS: String(RECOMPUTE_DELAY_MS) }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
});

interface NewProduct {
  name: string;
  description?: string;
  category?: string;
  price?: string;
  quantity?: number;
  sku?: string;
}

async function create(seller: string, p: NewProduct): Promise<string> {
  const res = await api.gql(IntelCreate, { input: { category: 'General', price: '10.00', quantity: 100, ...p } }, { seller });
  expect(res.data?.createProduct.userErrors).toEqual([]);
  return res.data!.createProduct.product!.id;
}

/** Places and confirms an order: its units leave as SOLD movements. */
async function sell(seller: string, items: { productId: string; quantity: number }[]): Promise<void> {
  const placed = await api.gql(PlaceOrder, { input: { items } }, { seller });
  expect(placed.data?.placeOrder.userErrors).toEqual([]);
  const confirmed = await api.gql(UpdateOrderStatus, { id: placed.data!.placeOrder.order!.id, status: 'CONFIRMED' }, { seller });
  expect(confirmed.data?.updateOrderStatus.userErrors).toEqual([]);
}

/** True when no recompute of the seller is queued or running. */
async function settled(seller: string): Promise<boolean> {
  const jobs = await api.infra.queues.get<RecomputeJobData>(INTELLIGENCE_QUEUE).getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  return !jobs.some((job) => job?.data.sellerId === seller);
}

async function forecast(seller: string, id: string, horizonDays?: number) {
  const res = await api.gql(IntelForecast, { id, horizonDays }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.product!.stockForecast;
}

async function recommendations(seller: string, id: string, kind: 'SIMILAR' | 'BOUGHT_TOGETHER', first = 10) {
  const res = await api.gql(IntelRecommendations, { id, kind, first }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.product!.recommendations;
}

async function suggestions(seller: string, name: string, description?: string) {
  const res = await api.gql(IntelSuggest, { name, description }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.suggestCategories;
}

const CATALOG: NewProduct[] = [
  { name: 'Green tea sencha', description: 'Loose leaf green tea from Shizuoka', category: 'Tea' },
  { name: 'Earl Grey black tea', description: 'Black tea leaves with bergamot', category: 'Tea' },
  { name: 'Jasmine tea pearls', description: 'Green tea leaves rolled with jasmine', category: 'Tea' },
  { name: 'Trail running shoes', description: 'Grippy sole for running on trails', category: 'Shoes' },
  { name: 'Leather boots', description: 'Waterproof leather boots with a rubber sole', category: 'Shoes' },
  { name: 'Canvas sneakers', description: 'Light canvas shoes with a rubber sole', category: 'Shoes' },
  { name: 'Mystery novel', description: 'A detective story paperback', category: 'Books' },
  { name: 'Cookbook of soups', description: 'Hardcover book of soup recipes', category: 'Books' },
  { name: 'Poetry collection', description: 'Paperback book of modern poems', category: 'Books' },
];

describe('stock forecasts', () => {
  it('a product without sales is NO_HISTORY: zero demand, no stock-out, nothing to reorder', async () => {
    const seller = uniqueId('intel-nohistory');
    const id = await create(seller, { name: 'Quiet product', quantity: 12 });
    const f = await forecast(seller, id);
    expect(f).toMatchObject({ method: 'NO_HISTORY', dailyDemand: 0, dailyDemandLow: 0, dailyDemandHigh: 0, daysUntilStockout: null, stockoutDate: null, suggestedReorderQuantity: 0 });
    expect(Date.parse(f.computedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('serves the cached forecast right after new orders, then refreshes it in the background', async () => {
    const seller = uniqueId('intel-refresh');
    const id = await create(seller, { name: 'Fast seller', quantity: 100 });
    await sell(seller, [{ productId: id, quantity: 4 }]);
    // the recompute these changes queued has run: the next order queues the next one
    await eventually(() => settled(seller), 15_000, 'the first recompute');
    await new Promise((resolve) => setTimeout(resolve, 500)); // longer than the relay's poll: no event of this seller left to publish
    await eventually(() => settled(seller), 15_000, 'the first recompute');
    const before = await forecast(seller, id);
    expect(before).toMatchObject({ method: 'SES', dailyDemand: 4, historyDays: 1 });

    await sell(seller, [{ productId: id, quantity: 20 }]);
    const started = performance.now();
    const served = await forecast(seller, id);
    const readMs = performance.now() - started;
    // the last computed result, not a computation: same model, same time; only the stock moved on
    expect(served.computedAt).toBe(before.computedAt);
    expect(served.dailyDemand).toBe(before.dailyDemand);
    expect(served.daysUntilStockout).toBeCloseTo(76 / 4, 9);
    expect(readMs).toBeLessThan(RECOMPUTE_DELAY_MS);

    let after = served;
    await eventually(async () => (after = await forecast(seller, id)).computedAt !== before.computedAt, 15_000, 'the recompute after the order');
    expect(after.dailyDemand).toBeGreaterThan(before.dailyDemand); // today's sales are 24 now
    expect(after.daysUntilStockout!).toBeLessThan(served.daysUntilStockout!);
    const risks = (await api.gql(IntelRisks, { horizonDays: 14 }, { seller })).data!.stockoutRisks;
    expect(risks.map((r) => r.product.id)).toEqual([id]);
  });

  it('reads the forecasts of a page of products together, each the same as read alone', async () => {
    const seller = uniqueId('intel-page');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await create(seller, { name: `Page product ${i}`, quantity: 50 }));
    await sell(seller, [{ productId: ids[0]!, quantity: 5 }, { productId: ids[3]!, quantity: 2 }]);
    // whatever a background recompute cached before the sale goes: every model from here on has seen it
    await api.infra.db.$executeRaw`DELETE FROM stock_forecasts WHERE seller_id = ${seller}`;
    const alone = await forecast(seller, ids[1]!); // one cached before the page read, the others fitted with it
    const lookups = vi.spyOn(api.services.intelligence, 'stockForecasts');
    try {
      const res = await api.gql(IntelListForecasts, { first: 10 }, { seller });
      expect(res.errors).toBeUndefined();
      expect(lookups).toHaveBeenCalledTimes(1);
      expect(lookups.mock.calls[0]![1]).toHaveLength(6);
      const page = new Map(res.data!.products.nodes.map((n) => [n.id, n.stockForecast]));
      expect(page.size).toBe(6);
      expect(page.get(ids[1]!)).toEqual({ method: alone.method, dailyDemand: alone.dailyDemand, daysUntilStockout: alone.daysUntilStockout });
      for (const id of [ids[0]!, ids[3]!]) {
        const one = await forecast(seller, id);
        expect(page.get(id)).toEqual({ method: one.method, dailyDemand: one.dailyDemand, daysUntilStockout: one.daysUntilStockout });
        expect(one.dailyDemand).toBeGreaterThan(0);
      }
    } finally {
      lookups.mockRestore();
    }
  });

  it('refuses out-of-range arguments with a clear error', async () => {
    const seller = uniqueId('intel-args');
    const id = await create(seller, { name: 'Anything' });
    const res = await api.gql(IntelForecast, { id, horizonDays: 0 }, { seller });
    expect(res.errors?.[0]?.message).toBe('horizonDays must be an integer between 1 and 365');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const blank = await api.gql(IntelSuggest, { name: '  ' }, { seller });
    expect(blank.errors?.[0]?.message).toBe('name must not be empty');
    const many = await api.gql(IntelRecommendations, { id, kind: 'SIMILAR', first: 51 }, { seller });
    expect(many.errors?.[0]?.message).toBe('first must be an integer between 0 and 50');
    // a refused read stored nothing for this seller
    expect(await api.infra.db.categoryModelRecord.count({ where: { sellerId: seller } })).toBe(0);
  });
});

describe('recommendations', { timeout: 60_000 }, () => {
  it('surfaces a planted bundle as BOUGHT_TOGETHER above the best-seller', async () => {
    const seller = uniqueId('intel-bundle');
    const [tent, pegs, water, lamp, unsold] = await Promise.all(
      ['Tent', 'Tent pegs', 'Bottled water', 'Camping lamp', 'Pending only'].map((name) => create(seller, { name, quantity: 1000 })),
    );
    expect(await recommendations(seller, tent!, 'BOUGHT_TOGETHER')).toEqual([]); // no orders yet: empty, not an error
    for (let i = 0; i < 3; i++) await sell(seller, [{ productId: tent!, quantity: 1 }, { productId: pegs!, quantity: 2 }, { productId: water!, quantity: 1 }]);
    for (let i = 0; i < 8; i++) await sell(seller, [{ productId: water!, quantity: 1 }, ...(i % 2 ? [{ productId: lamp!, quantity: 1 }] : [])]);
    // a PENDING order counts for nothing
    await api.gql(PlaceOrder, { input: { items: [{ productId: tent!, quantity: 1 }, { productId: unsold!, quantity: 1 }] } }, { seller });

    // the recompute the worker would run next, run now: how soon it runs is recompute-pacing's test
    await recomputeSeller(api.infra.db, seller);
    // water is in all 11 orders: 3 / sqrt(3 x 11)
    const pairs = await recommendations(seller, tent!, 'BOUGHT_TOGETHER');
    expect(pairs.map((p) => p.product.id)).toEqual([pegs, water]);
    expect(pairs[0]!.score).toBeCloseTo(1, 9); // 3 / sqrt(3 x 3)
    expect(pairs[1]!.score).toBeCloseTo(3 / Math.sqrt(3 * 11), 9);
    expect(pairs[0]!.reason).toBe('Bought together in 3 orders');
  });

  it('SIMILAR ranks by shared words (rarer weigh more) and category, never the product itself', async () => {
    const seller = uniqueId('intel-similar');
    const ids = await Promise.all(CATALOG.map((p) => create(seller, p)));
    // the words of the catalog are indexed by the recompute its creation queued
    let similar: Awaited<ReturnType<typeof recommendations>> = [];
    await eventually(async () => (similar = await recommendations(seller, ids[0]!, 'SIMILAR', 5))[0]?.reason.includes('shares') === true, 15_000, 'the words indexed');
    expect(similar.map((s) => s.product.id)).not.toContain(ids[0]);
    // jasmine shares "green", "tea" and "leaf"... with sencha; earl grey only "tea"
    expect(similar.slice(0, 2).map((s) => s.product.id)).toEqual([ids[2], ids[1]]);
    expect(similar[0]!.reason).toMatch(/^Similar: same category \(Tea\); shares .*green/);
    expect(similar.every((s, i) => i === 0 || s.score <= similar[i - 1]!.score)).toBe(true);
    expect(similar.every((s) => s.score > 0 && s.score <= 1)).toBe(true);
  });
});

describe('category suggestions', () => {
  it("suggests a new product's category from a catalog of 3 categories, as a probability", async () => {
    const seller = uniqueId('intel-categories');
    for (const p of CATALOG) await create(seller, p);
    const tea = await suggestions(seller, 'Oolong tea', 'Half-oxidised tea leaves');
    expect(new Set(tea.map((s) => s.category))).toEqual(new Set(['Tea', 'Shoes', 'Books']));
    expect(tea[0]!.category).toBe('Tea');
    expect(tea[0]!.confidence).toBeGreaterThan(0.5);
    expect(tea.reduce((sum, s) => sum + s.confidence, 0)).toBeCloseTo(1, 6);
    expect((await suggestions(seller, 'Hiking shoes', 'rubber sole'))[0]!.category).toBe('Shoes');
    expect((await suggestions(seller, 'Fantasy novel', 'paperback'))[0]!.category).toBe('Books');
  });
});
