import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { sellerNodeId } from '../support/ids.js';
import { PlaceOrder, UpdateOrderStatus } from '../support/stock.js';
import { eventually } from '../support/subscriptions.js';
import { uniqueId } from '../support/wait.js';

const IsoCreate = graphql(`
  mutation IsoCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);
const IsoRecommendations = graphql(`
  query IsoRecommendations($id: ID!, $kind: RecommendationKind) {
    product(id: $id) { recommendations(kind: $kind, first: 50) { product { id sellerId } } stockForecast { method dailyDemand } }
  }
`);
const IsoSuggest = graphql(`
  query IsoSuggest($name: String!) { suggestCategories(name: $name, first: 10) { category confidence } }
`);
const IsoRisks = graphql(`
  query IsoRisks { stockoutRisks(horizonDays: 365, first: 100) { product { id sellerId } } }
`);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ INTELLIGENCE_RECOMPUTE_DELAY_MS: '200' }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
});

async function create(seller: string, name: string, category: string): Promise<string> {
  const res = await api.gql(IsoCreate, { input: { name, description: `${name} for everyday use`, category, price: '5.00', quantity: 30 } }, { seller });
  expect(res.data?.createProduct.userErrors).toEqual([]);
  return res.data!.createProduct.product!.id;
}

async function sell(seller: string, productIds: string[]): Promise<void> {
  const placed = await api.gql(PlaceOrder, { input: { items: productIds.map((productId) => ({ productId, quantity: 3 })) } }, { seller });
  await api.gql(UpdateOrderStatus, { id: placed.data!.placeOrder.order!.id, status: 'CONFIRMED' }, { seller });
}

describe('seller isolation', () => {
  it("no result, model or cache row of one seller holds anything of another's", async () => {
    const alice = uniqueId('intel-iso-alice');
    const bob = uniqueId('intel-iso-bob');
    // the same names on both sides: only the seller tells them apart
    const a = await Promise.all(['Blue mug', 'Blue mug lid', 'Red mug'].map((n) => create(alice, n, 'Alice kitchen')));
    const b = await Promise.all(['Blue mug', 'Blue mug lid', 'Red mug'].map((n) => create(bob, n, 'Bob kitchen')));
    await create(bob, 'Green mug', 'Bob garden');
    for (let i = 0; i < 3; i++) await sell(alice, [a[0]!, a[1]!]);
    await sell(bob, [b[0]!, b[2]!]);

    await eventually(
      async () => {
        const res = await api.gql(IsoRecommendations, { id: a[0]!, kind: 'BOUGHT_TOGETHER' }, { seller: alice });
        return res.data!.product!.recommendations.length > 0;
      },
      15_000,
      "alice's pairs",
    );
    await eventually(
      async () => (await api.gql(IsoRecommendations, { id: b[0]!, kind: 'BOUGHT_TOGETHER' }, { seller: bob })).data!.product!.recommendations.length > 0,
      15_000,
      "bob's pairs",
    );

    for (const [seller, ids] of [[alice, a], [bob, b]] as const) {
      for (const kind of ['SIMILAR', 'BOUGHT_TOGETHER'] as const) {
        const res = await api.gql(IsoRecommendations, { id: ids[0]!, kind }, { seller });
        const found = res.data!.product!.recommendations;
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((r) => r.product.sellerId === sellerNodeId(seller))).toBe(true);
      }
      const risks = (await api.gql(IsoRisks, {}, { seller })).data!.stockoutRisks;
      expect(risks.length).toBeGreaterThan(0);
      expect(risks.every((r) => r.product.sellerId === sellerNodeId(seller))).toBe(true);
    }
    // another seller's product reads as missing, recommendations and forecast included
    const foreign = await api.gql(IsoRecommendations, { id: a[0]!, kind: 'SIMILAR' }, { seller: bob });
    expect(foreign.data?.product ?? null).toBeNull();

    const aliceCategories = (await api.gql(IsoSuggest, { name: 'Blue mug' }, { seller: alice })).data!.suggestCategories.map((s) => s.category);
    const bobCategories = (await api.gql(IsoSuggest, { name: 'Blue mug' }, { seller: bob })).data!.suggestCategories.map((s) => s.category);
    expect(aliceCategories).toEqual(['Alice kitchen']);
    expect(bobCategories.sort()).toEqual(['Bob garden', 'Bob kitchen']);

    // the stored rows: each seller's model, forecasts and pairs name only its own products
    const db = api.infra.db;
    const models = await db.categoryModelRecord.findMany({ where: { sellerId: { in: [alice, bob] } } });
    expect(models).toHaveLength(2);
    for (const row of models) {
      const categories = (row.model as { categories: { name: string }[] }).categories.map((c) => c.name);
      expect(categories.every((c) => c.startsWith(row.sellerId === alice ? 'Alice' : 'Bob'))).toBe(true);
    }
    const mismatched = await db.$queryRaw<{ n: number }[]>`
      SELECT (
        (SELECT count(*) FROM stock_forecasts f JOIN products p ON p.id = f.product_id WHERE f.seller_id <> p.seller_id)
        + (SELECT count(*) FROM bought_together t JOIN products p ON p.id IN (t.product_id, t.other_id) WHERE t.seller_id <> p.seller_id)
        + (SELECT count(*) FROM product_terms t JOIN products p ON p.id = t.product_id WHERE t.seller_id <> p.seller_id)
      )::int AS n`;
    expect(mismatched[0]!.n).toBe(0);
    expect(await db.stockForecastCache.count({ where: { sellerId: bob } })).toBe(4);
  });
});
