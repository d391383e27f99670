import { tsb } from './tsb.js';
import { holt, simpleExponentialSmoothing, type Fit } from './smoothing.js';

export const FORECAST_METHODS = ['NO_HISTORY', 'TSB', 'HOLT', 'SES'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

/** What a forecast keeps of a product's history: enough to answer any horizon later. */
export interface DemandModel {
  method: ForecastMethod;
  /** Expected units per day now. */
  level: number;
  /** Change of the daily demand per day (HOLT only, else 0). */
  trend: number;
  /** Spread of one day's demand around the forecast (root mean square of the one-step errors). */
  sigma: number;
  historyDays: number;
}

export const SMOOTHING = { alpha: 0.3, beta: 0.1, tsbAlpha: 0.1, tsbBeta: 0.1 } as const;
/** Syntetos-Boylan: an average interval between sales above 1.32 days is intermittent demand. */
export const INTERMITTENT_ADI = 1.32;
/** Below this many days a trend is noise: exponential smoothing without one. */
export const MIN_DAYS_FOR_TREND = 14;

export const NO_HISTORY: DemandModel = { method: 'NO_HISTORY', level: 0, trend: 0, sigma: 0, historyDays: 0 };

function rootMeanSquare(errors: readonly number[]): number {
  if (errors.length === 0) return 0;
  return Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
}

/** Picks the method from the daily series (oldest first) and fits it. */
export function fitDemand(series: readonly number[]): DemandModel {
  const saleDays = series.filter((y) => y > 0).length;
  if (saleDays === 0) return { ...NO_HISTORY, historyDays: series.length };
  const averageInterval = series.length / saleDays;
  let method: ForecastMethod;
  let fit: Fit;
  if (averageInterval > INTERMITTENT_ADI) [method, fit] = ['TSB', tsb(series, SMOOTHING.tsbAlpha, SMOOTHING.tsbBeta)];
  else if (series.length >= MIN_DAYS_FOR_TREND) [method, fit] = ['HOLT', holt(series, SMOOTHING.alpha, SMOOTHING.beta)];
  else [method, fit] = ['SES', simpleExponentialSmoothing(series, SMOOTHING.alpha)];
  // with fewer than two errors there is no spread to measure: that of a Poisson count of that mean
  const sigma = fit.errors.length >= 2 ? rootMeanSquare(fit.errors) : Math.sqrt(Math.max(fit.level, 0));
  return { method, level: fit.level, trend: fit.trend, sigma, historyDays: series.length };
}

/** Mean daily demand over the next horizonDays (never negative). */
export function meanDailyDemand(model: Pick<DemandModel, 'level' | 'trend'>, horizonDays: number): number {
  return Math.max(0, model.level + (model.trend * (horizonDays + 1)) / 2);
}
