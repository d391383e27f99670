import type { Database } from '../../infra/prisma.js';
import type { DemandModel, ForecastMethod } from './forecast/demand-model.js';
import { fromRaw, type RawProduct } from '../catalog/product.repository.js';
import type { ProductRecord } from '../catalog/product.model.js';

export interface CachedForecast extends DemandModel {
  productId: number;
  computedAt: Date;
}

interface RawForecast {
  product_id: number;
  method: ForecastMethod;
  level: number;
  trend: number;
  sigma: number;
  history_days: number;
  computed_at: Date;
}

const fromRawForecast = (r: RawForecast): CachedForecast => ({
  productId: r.product_id,
  method: r.method,
  level: r.level,
  trend: r.trend,
  sigma: r.sigma,
  historyDays: r.history_days,
  computedAt: r.computed_at,
});

/** Writes (or replaces) the models of the seller's products, all stamped computedAt. */
export async function saveForecasts(db: Database, sellerId: string, models: readonly (DemandModel & { productId: number })[], computedAt: Date): Promise<void> {
  for (let i = 0; i < models.length; i += 5000) {
    const chunk = models.slice(i, i + 5000);
    await db.$executeRaw`
      INSERT INTO stock_forecasts (product_id, seller_id, method, level, trend, sigma, history_days, computed_at)
      SELECT product_id, ${sellerId}, method, level, trend, sigma, history_days, ${computedAt}
      FROM unnest(${chunk.map((m) => m.productId)}::int[], ${chunk.map((m) => m.method)}::text[], ${chunk.map((m) => m.level)}::float8[],
        ${chunk.map((m) => m.trend)}::float8[], ${chunk.map((m) => m.sigma)}::float8[], ${chunk.map((m) => m.historyDays)}::int[])
        AS m(product_id, method, level, trend, sigma, history_days)
      ON CONFLICT (product_id) DO UPDATE SET seller_id = excluded.seller_id, method = excluded.method, level = excluded.level,
        trend = excluded.trend, sigma = excluded.sigma, history_days = excluded.history_days, computed_at = excluded.computed_at`;
  }
}

/**
 * Forgets the models of products the seller no longer has. Each model looks its product up by
 * id: as an anti-join, a new seller's stale statistics (one product, says the planner) made it a
 * nested loop over every product of the seller per model, minutes for a 100,000-row import.
 */
export async function deleteStaleForecasts(db: Database, sellerId: string): Promise<void> {
  await db.$executeRaw`
    DELETE FROM stock_forecasts f WHERE f.seller_id = ${sellerId}
      AND (SELECT p.seller_id FROM products p WHERE p.id = f.product_id) IS DISTINCT FROM ${sellerId}`;
}

/** The cached models of the seller's products among productIds (null where none is cached yet), with their stock now; other sellers' ids are absent. */
export async function findForecasts(db: Database, sellerId: string, productIds: readonly number[]): Promise<Map<number, { forecast: CachedForecast | null; available: number }>> {
  const rows = await db.$queryRaw<(Partial<RawForecast> & { id: number; available: number })[]>`
    SELECT p.id, p.quantity - p.reserved AS available, f.product_id, f.method, f.level, f.trend, f.sigma, f.history_days, f.computed_at
    FROM products p LEFT JOIN stock_forecasts f ON f.product_id = p.id AND f.seller_id = ${sellerId}
    WHERE p.id = ANY(${[...productIds]}::int[]) AND p.seller_id = ${sellerId}`;
  return new Map(rows.map((row) => [row.id, { forecast: row.product_id == null ? null : fromRawForecast(row as RawForecast), available: row.available }]));
}

/**
 * The seller's products whose available units run out within horizonDays at their cached
 * demand (mean over the horizon), soonest first.
 */
export async function findStockoutRisks(
  db: Database,
  sellerId: string,
  horizonDays: number,
  first: number,
): Promise<{ product: ProductRecord; forecast: CachedForecast }[]> {
  const rows = await db.$queryRaw<(RawProduct & { f: RawForecast })[]>`
    SELECT p.*, to_jsonb(f) AS f FROM (
      SELECT f.*, greatest(f.level + f.trend * (${horizonDays}::int + 1) / 2.0, 0) AS demand FROM stock_forecasts f WHERE f.seller_id = ${sellerId}
    ) f JOIN products p ON p.id = f.product_id AND p.seller_id = ${sellerId}
    WHERE f.demand > 0 AND greatest(p.quantity - p.reserved, 0) / f.demand <= ${horizonDays}::int
    ORDER BY greatest(p.quantity - p.reserved, 0) / f.demand, p.id
    LIMIT ${first}::int`;
  return rows.map(({ f, ...product }) => ({ product: fromRaw(product), forecast: fromRawForecast({ ...f, computed_at: new Date(f.computed_at) }) }));
}
