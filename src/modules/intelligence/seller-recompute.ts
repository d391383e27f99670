import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { Database } from '../../infra/prisma.js';
import { recomputeBoughtTogether } from './bought-together.repository.js';
import { calibrate, trainNaiveBayes, type CategoryModel, type LabelledDocument } from './categories/naive-bayes.js';
import { tokensOf } from './categories/tokens.js';
import { catalogFingerprint, productTexts, saveCategoryModel, storedCatalogFingerprint } from './category-model.repository.js';
import { fitDemand, type DemandModel } from './forecast/demand-model.js';
import { dailyDemand, utcDay } from './forecast/demand-series.js';
import { deleteStaleForecasts, saveForecasts } from './forecast-cache.repository.js';
import { dailySales, productStarts } from './sales-history.repository.js';
import { recomputeProductTerms } from './similar-products.repository.js';

/** Products fitted between two turns of the event loop. */
const FITS_BETWEEN_YIELDS = 500;

/** Days of sales a forecast looks at. */
export const HISTORY_DAYS = 180;
/** Products the classifier's calibration scores by leave-one-out (a spread sample of the catalog). */
const CALIBRATION_SAMPLE = 400;

/** Thrown between the steps of a recompute once its worker is stopping; the next worker redoes it. */
export class RecomputeInterrupted extends Error {
  constructor() {
    super('recompute interrupted: the worker is stopping');
  }
}

/** Says whether the worker is stopping; a recompute checks it between steps. */
export type StopCheck = () => boolean;

const never: StopCheck = () => false;

function checkStop(stopping: StopCheck): void {
  if (stopping()) throw new RecomputeInterrupted();
}

/**
 * Fits the demand model of each given product from its sales since it was created (or since
 * its first imported sale, if earlier), over the last HISTORY_DAYS days up to today.
 */
export async function fitProducts(
  db: Database,
  sellerId: string,
  now: Date,
  productIds: readonly number[] | null = null,
  stopping: StopCheck = never,
): Promise<(DemandModel & { productId: number })[]> {
  const today = utcDay(now);
  const windowStart = today - HISTORY_DAYS + 1;
  const [products, sales] = await Promise.all([productStarts(db, sellerId, productIds), dailySales(db, sellerId, windowStart, productIds)]);
  const byProduct = new Map<number, { day: number; quantity: number }[]>();
  for (const sale of sales) {
    let list = byProduct.get(sale.productId);
    if (!list) byProduct.set(sale.productId, (list = []));
    list.push(sale);
  }
  const models: (DemandModel & { productId: number })[] = [];
  for (const { productId: id, createdAt } of products) {
    const own = byProduct.get(id) ?? [];
    const firstSale = own.reduce((min, s) => Math.min(min, s.day), Infinity);
    const start = Math.max(windowStart, Math.min(utcDay(createdAt), firstSale));
    models.push({ productId: id, ...fitDemand(dailyDemand(own, start, today)) });
    // a large catalog takes seconds to fit: let the worker's other jobs and lock renewals run
    if (models.length % FITS_BETWEEN_YIELDS === 0) {
      await setImmediatePromise();
      checkStop(stopping);
    }
  }
  return models;
}

export function trainCategories(texts: readonly { name: string; description: string | null; category: string }[]): CategoryModel {
  const documents: LabelledDocument[] = texts.map((t) => ({ category: t.category, tokens: tokensOf(t.name, t.description) }));
  const step = Math.max(1, Math.floor(documents.length / CALIBRATION_SAMPLE));
  return calibrate(
    trainNaiveBayes(documents),
    documents.filter((_, i) => i % step === 0),
  );
}

export interface RecomputeTimings {
  products: number;
  forecastsMs: number;
  boughtTogetherMs: number;
  similarMs: number;
  categoriesMs: number;
  /** False when the catalog's text was as at the last recompute: words and classifier were kept. */
  textChanged: boolean;
}

/**
 * Everything cached for one seller, computed from that seller's rows only; `now` ends the
 * forecasts' history. Once `stopping` says so it ends with RecomputeInterrupted between steps:
 * each step's cache is whole, and the next run redoes them all.
 */
export async function recomputeSeller(db: Database, sellerId: string, now = new Date(), stopping: StopCheck = never): Promise<RecomputeTimings> {
  let started = performance.now();
  const models = await fitProducts(db, sellerId, now, null, stopping);
  await saveForecasts(db, sellerId, models, now);
  await deleteStaleForecasts(db, sellerId);
  const forecastsMs = performance.now() - started;
  checkStop(stopping);

  started = performance.now();
  // stamped with the clock, not `now`: pairs older than this run's stamp are the ones it drops
  await recomputeBoughtTogether(db, sellerId, new Date());
  const boughtTogetherMs = performance.now() - started;
  checkStop(stopping);

  // the word table and the classifier depend on the catalog's text only: most changes (stock,
  // orders) leave it as it was, and both are kept
  started = performance.now();
  const fingerprint = await catalogFingerprint(db, sellerId);
  const textChanged = fingerprint !== (await storedCatalogFingerprint(db, sellerId));
  if (textChanged) await recomputeProductTerms(db, sellerId);
  const similarMs = performance.now() - started;
  checkStop(stopping);

  started = performance.now();
  if (textChanged) await saveCategoryModel(db, sellerId, trainCategories(await productTexts(db, sellerId)), now, fingerprint);
  const categoriesMs = performance.now() - started;
  return { products: models.length, forecastsMs, boughtTogetherMs, similarMs, categoriesMs, textChanged };
}
