import { meanDailyDemand, type DemandModel } from './demand-model.js';

/** z of the 10% and 90% quantiles of a normal distribution: an 80% interval. */
export const Z_80 = 1.2815515655446004;
const DAY_MS = 86_400_000;

export interface StockProjection {
  dailyDemand: number;
  dailyDemandLow: number;
  dailyDemandHigh: number;
  daysUntilStockout: number | null;
  stockoutDate: Date | null;
  suggestedReorderQuantity: number;
}

/**
 * What the model says for a product with `available` units (on hand minus held):
 * the mean daily demand over the horizon with an 80% interval for one day's demand, when the
 * available units run out at that rate (null without demand), and how many units to order now
 * to cover leadTimeDays + horizonDays of demand with 90% confidence (days taken as independent).
 */
export function projectStock(model: DemandModel, available: number, horizonDays: number, leadTimeDays: number, now: Date): StockProjection {
  const dailyDemand = meanDailyDemand(model, horizonDays);
  const spread = Z_80 * model.sigma;
  const onHand = Math.max(0, available);
  const daysUntilStockout = dailyDemand > 0 ? onHand / dailyDemand : null;
  const coverDays = leadTimeDays + horizonDays;
  const needed = dailyDemand * coverDays + (dailyDemand > 0 ? spread * Math.sqrt(coverDays) : 0);
  return {
    dailyDemand,
    dailyDemandLow: Math.max(0, dailyDemand - spread),
    dailyDemandHigh: dailyDemand + spread,
    daysUntilStockout,
    stockoutDate: daysUntilStockout === null ? null : new Date(now.getTime() + daysUntilStockout * DAY_MS),
    suggestedReorderQuantity: Math.max(0, Math.ceil(needed - onHand - 1e-9)),
  };
}
