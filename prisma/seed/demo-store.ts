// The demo store: each demo seller goes through the steps below in order, and each step either
// creates its part or says why it skipped it, so running the seed again changes nothing.
// A new part of the store (customers, say) is one more step in STEPS, placed before the steps
// that use it, with what it made added to ShopContext for them.
import { Decimal } from 'decimal.js';
import type { Database } from '../../src/infra/prisma.js';
import { inTransaction } from '../../src/infra/prisma.js';
import type { CatalogService } from '../../src/modules/catalog/product.service.js';
import type { ExpirySchedule } from '../../src/modules/inventory/reservations.service.js';
import { writeCustomers } from './customers.js';
import { writeHistory } from './history-writer.js';
import { placeInFlight } from './in-flight.js';
import { resetSeller } from './reset.js';
import { HISTORY_DAYS, planDemoStore, utcMidnight, type ShopPlan } from './sales-plan.js';

export interface SeedDeps {
  db: Database;
  catalog: CatalogService;
  expiry: ExpirySchedule;
}

interface ShopContext extends SeedDeps {
  plan: ShopPlan;
  sellerId: string;
  /** Product id of each planned product (plan.products order); set by the catalog step. */
  productIds: number[];
}

interface SeedStep {
  name: string;
  /** What it created, or "skipped (why)". */
  run(ctx: ShopContext): Promise<string>;
}

const count = (n: number) => n.toLocaleString('en-US');

const catalogStep: SeedStep = {
  name: 'catalog',
  async run(ctx) {
    const skus = ctx.plan.products.map((p) => p.sku);
    const existing = await ctx.db.$queryRaw<{ id: number; sku: string }[]>`
      SELECT id, sku FROM products WHERE seller_id = ${ctx.sellerId} AND sku = ANY(${skus}::text[])`;
    const idOf = new Map(existing.map((r) => [r.sku, r.id]));
    let created = 0;
    for (const p of ctx.plan.products) {
      if (idOf.has(p.sku)) continue;
      const result = await ctx.catalog.createProduct(ctx.sellerId, {
        sku: p.sku,
        name: p.name,
        description: p.description,
        price: new Decimal(p.priceCents).div(100),
        category: p.category,
        quantity: p.finalQuantity,
        lowStockThreshold: p.lowStockThreshold,
      });
      if (!result.product) throw new Error(`seed: ${p.sku}: ${result.userErrors.map((e) => e.message).join('; ')}`);
      idOf.set(p.sku, result.product.id);
      created++;
    }
    ctx.productIds = skus.map((sku) => idOf.get(sku)!);
    const categories = new Set(ctx.plan.products.map((p) => p.category)).size;
    const [others] = await ctx.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM products WHERE seller_id = ${ctx.sellerId} AND (sku IS NULL OR NOT sku = ANY(${skus}::text[]))`;
    const otherNote = others!.n > 0 ? `; ${count(others!.n)} other product${others!.n === 1 ? '' : 's'} of this seller left as ${others!.n === 1 ? 'it is' : 'they are'} (--reset removes them)` : '';
    if (created === 0) return `skipped (${count(skus.length)} products exist)${otherNote}`;
    return `created ${count(created)} products in ${categories} categories${existing.length > 0 ? `, skipped ${count(existing.length)} that exist` : ''}${otherNote}`;
  },
};

const historyStep: SeedStep = {
  name: 'history',
  async run(ctx) {
    const [state] = await ctx.db.$queryRaw<{ orders: number; changed: number }[]>`
      SELECT (SELECT count(*) FROM orders WHERE seller_id = ${ctx.sellerId})::int AS orders,
        (SELECT count(*) FROM (SELECT product_id FROM stock_movements WHERE seller_id = ${ctx.sellerId} AND product_id = ANY(${ctx.productIds}::int[])
          GROUP BY product_id HAVING count(*) > 1) t)::int AS changed`;
    if (state!.orders > 0) return `skipped (${count(state!.orders)} orders exist)`;
    if (state!.changed > 0) return `skipped (${state!.changed} products changed since the seed created them; --reset starts over)`;
    const written = await inTransaction(ctx.db, (tx) => writeHistory(tx, ctx.plan, ctx.productIds));
    return `created ${count(written.orders)} orders and ${count(written.movements)} stock movements over ${HISTORY_DAYS} days`;
  },
};

const inFlightStep: SeedStep = {
  name: 'reservations in flight',
  async run(ctx) {
    const [held] = await ctx.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM reservations WHERE seller_id = ${ctx.sellerId} AND status = 'HELD' AND expires_at > now()`;
    if (held!.n > 0) return `skipped (${held!.n} reservations held)`;
    const steady = ctx.plan.products.flatMap((p, i) => (p.kind === 'steady' ? [ctx.productIds[i]!] : []));
    const stocked = await ctx.db.$queryRaw<{ id: number; quantity: number }[]>`
      SELECT id, quantity FROM products WHERE seller_id = ${ctx.sellerId} AND id = ANY(${steady}::int[]) AND quantity - reserved >= 10 ORDER BY id`;
    const placed = await placeInFlight(ctx.db, ctx.expiry, ctx.sellerId, stocked);
    return `created ${placed.holds} reservations and ${placed.orders} pending orders holding stock`;
  },
};

const customersStep: SeedStep = {
  name: 'customers',
  async run(ctx) {
    const [state] = await ctx.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM customers WHERE seller_id = ${ctx.sellerId}`;
    if (state!.n > 0) return `skipped (${count(state!.n)} customers exist)`;
    const written = await writeCustomers(ctx.db, ctx.sellerId);
    return `created ${count(written.customers)} customers and named them on ${count(written.orders)} orders`;
  },
};

const STEPS: readonly SeedStep[] = [catalogStep, historyStep, inFlightStep, customersStep];

/**
 * Seeds (or with `reset`, first removes and then seeds) the demo sellers' store and returns what
 * it did, one line per seller and step. `now` fixes the day the history ends (tests).
 */
export async function seedDemoStore(deps: SeedDeps, options: { reset?: boolean; now?: Date } = {}): Promise<string[]> {
  const report: string[] = [];
  for (const plan of planDemoStore(utcMidnight(options.now ?? new Date()))) {
    const sellerId = plan.shop.sellerId;
    if (options.reset) {
      const removed = await resetSeller(deps.db, sellerId);
      report.push(`${sellerId} reset: removed ${count(removed.products)} products, ${count(removed.orders)} orders and ${count(removed.events)} events`);
    }
    const ctx: ShopContext = { ...deps, plan, sellerId, productIds: [] };
    for (const step of STEPS) report.push(`${sellerId} ${step.name}: ${await step.run(ctx)}`);
  }
  return report;
}
