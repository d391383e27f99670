import { badUserInput } from '../../graphql/errors.js';
import type { Database } from '../../infra/prisma.js';
import type { Queues } from '../../infra/queues.js';
import type { EventRecord } from '../events/event.model.js';
import type { ProductRecord } from '../catalog/product.model.js';
import { findBoughtTogether } from './bought-together.repository.js';
import { suggest, type CategoryModel, type Suggestion } from './categories/naive-bayes.js';
import { tokensOf } from './categories/tokens.js';
import { categoryModelTrainedAt, countProducts, findCategoryModel, productTexts, saveCategoryModel } from './category-model.repository.js';
import { CategoryModelCache } from './categories/model-cache.js';
import { findForecasts, findStockoutRisks, saveForecasts, type CachedForecast } from './forecast-cache.repository.js';
import { projectStock, type StockProjection } from './forecast/stock-projection.js';
import { INTELLIGENCE_QUEUE, recomputeJobOptions, type RecomputeJobData } from './intelligence.jobs.js';
import { fitProducts, trainCategories } from './seller-recompute.js';
import { findSimilar } from './similar-products.repository.js';

export type RecommendationKindName = 'SIMILAR' | 'BOUGHT_TOGETHER';

export interface Recommendation {
  product: ProductRecord;
  score: number;
  reason: string;
}

export type StockForecastView = StockProjection & Pick<CachedForecast, 'method' | 'historyDays' | 'computedAt'>;

/** A catalog this small trains its classifier inline when none is stored yet (tens of milliseconds). */
export const INLINE_TRAINING_MAX_PRODUCTS = 2000;

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw badUserInput(`${name} must be an integer between ${min} and ${max}`);
}

export class IntelligenceService {
  private readonly models = new CategoryModelCache();

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    private readonly settings: { recomputeDelayMs: number },
  ) {}

  /** Queues a recompute of the seller's forecasts, pairs and classifier (throttled per seller). */
  async schedule(sellerId: string): Promise<void> {
    await this.queues.get<RecomputeJobData>(INTELLIGENCE_QUEUE).add('recompute', { sellerId }, recomputeJobOptions(sellerId, this.settings.recomputeDelayMs));
  }

  /** Called by the relay for each published batch: the sellers whose catalog, stock or orders changed. */
  async noteEvents(events: readonly EventRecord[]): Promise<void> {
    await Promise.all([...new Set(events.map((e) => e.sellerId))].map((sellerId) => this.schedule(sellerId)));
  }

  async recommendations(sellerId: string, productId: number, kind: RecommendationKindName, first: number): Promise<Recommendation[]> {
    checkRange('first', first, 0, 50);
    if (first === 0) return [];
    if (kind === 'BOUGHT_TOGETHER') {
      const pairs = await findBoughtTogether(this.db, sellerId, productId, first);
      return pairs.map((p) => ({ product: p.product, score: p.score, reason: `Bought together in ${p.together} order${p.together === 1 ? '' : 's'}` }));
    }
    const similar = await findSimilar(this.db, sellerId, productId, first);
    return similar.map((s) => {
      const why = [s.sameCategory ? `same category (${s.product.category})` : null, s.sharedWords.length > 0 ? `shares ${s.sharedWords.slice(0, 5).join(', ')}` : null].filter(Boolean);
      return { product: s.product, score: s.score, reason: why.length > 0 ? `Similar: ${why.join('; ')}` : 'Similar name' };
    });
  }

  /**
   * Served from the cache. Products never computed yet (just created, or created before this
   * feature) are fitted inline: their sales over the history window, one indexed read for all.
   */
  async stockForecasts(sellerId: string, productIds: readonly number[], now = new Date()): Promise<Map<number, { forecast: CachedForecast; available: number }>> {
    const found = await findForecasts(this.db, sellerId, productIds);
    const missing = [...found].filter(([, f]) => !f.forecast).map(([id]) => id);
    const fitted = missing.length > 0 ? await fitProducts(this.db, sellerId, now, missing) : [];
    if (fitted.length > 0) await saveForecasts(this.db, sellerId, fitted, now);
    const models = new Map<number, { forecast: CachedForecast; available: number }>();
    for (const [id, f] of found) if (f.forecast) models.set(id, { forecast: f.forecast, available: f.available });
    for (const model of fitted) models.set(model.productId, { forecast: { ...model, computedAt: now }, available: found.get(model.productId)!.available });
    return models;
  }

  async stockoutRisks(sellerId: string, horizonDays: number, first: number, now = new Date()): Promise<{ product: ProductRecord; forecast: StockForecastView }[]> {
    checkRange('horizonDays', horizonDays, 1, 365);
    checkRange('first', first, 0, 100);
    if (first === 0) return [];
    const risks = await findStockoutRisks(this.db, sellerId, horizonDays, first);
    return risks.map((r) => ({ product: r.product, forecast: view(r.forecast, r.product.quantity - r.product.reserved, horizonDays, 7, now) }));
  }

  /**
   * From the seller's stored classifier. Without one yet, a small catalog is trained inline; a
   * large one gets a training queued and, until it is done, no suggestion.
   */
  async suggestCategories(sellerId: string, name: string, description: string | null, first: number): Promise<Suggestion[]> {
    checkRange('first', first, 0, 20);
    if (name.trim().length === 0) throw badUserInput('name must not be empty');
    if (name.length > 500) throw badUserInput('name must be at most 500 characters');
    if (description !== null && description.length > 10_000) throw badUserInput('description must be at most 10000 characters');
    const model = await this.categoryModel(sellerId);
    if (!model) return [];
    return first === 0 ? [] : suggest(model, tokensOf(name, description), first);
  }

  /** The seller's stored classifier (parsed once per training), trained inline when missing and the catalog is small. */
  private async categoryModel(sellerId: string): Promise<CategoryModel | null> {
    const trainedAt = await categoryModelTrainedAt(this.db, sellerId);
    const cached = trainedAt && this.models.get(sellerId, trainedAt);
    if (cached) return cached;
    const stored = trainedAt && (await findCategoryModel(this.db, sellerId));
    if (stored) {
      this.models.set(sellerId, stored.trainedAt, stored.model);
      return stored.model;
    }
    if ((await countProducts(this.db, sellerId)) > INLINE_TRAINING_MAX_PRODUCTS) {
      await this.schedule(sellerId);
      return null;
    }
    const model = trainCategories(await productTexts(this.db, sellerId));
    // no fingerprint: the seller's next recompute still builds the word table and retrains
    await saveCategoryModel(this.db, sellerId, model, new Date(), null);
    return model;
  }
}

/** BAD_USER_INPUT for a forecast horizon or lead time out of range. */
export function checkForecastRange(horizonDays: number, leadTimeDays: number): void {
  checkRange('horizonDays', horizonDays, 1, 365);
  checkRange('leadTimeDays', leadTimeDays, 0, 365);
}

/** A cached model projected over the horizon. */
export function forecastView(model: { forecast: CachedForecast; available: number }, horizonDays: number, leadTimeDays: number, now = new Date()): StockForecastView {
  return view(model.forecast, model.available, horizonDays, leadTimeDays, now);
}

function view(forecast: CachedForecast, available: number, horizonDays: number, leadTimeDays: number, now: Date): StockForecastView {
  return { ...projectStock(forecast, available, horizonDays, leadTimeDays, now), method: forecast.method, historyDays: forecast.historyDays, computedAt: forecast.computedAt };
}
