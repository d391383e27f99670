import { describe, expect, it } from 'vitest';
import { dailyDemand, utcDay } from '../../src/modules/intelligence/forecast/demand-series.js';
import { fitDemand, meanDailyDemand } from '../../src/modules/intelligence/forecast/demand-model.js';
import { holt, simpleExponentialSmoothing } from '../../src/modules/intelligence/forecast/smoothing.js';
import { projectStock } from '../../src/modules/intelligence/forecast/stock-projection.js';
import { tsb } from '../../src/modules/intelligence/forecast/tsb.js';

const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
};

describe('daily demand', () => {
  it('sums sales per UTC day inside the window, zero on other days', () => {
    const sales = [
      { day: 10, quantity: 2 },
      { day: 10, quantity: 1 },
      { day: 12, quantity: 4 },
      { day: 9, quantity: 7 }, // before the window
    ];
    expect(dailyDemand(sales, 10, 13)).toEqual([3, 0, 4, 0]);
    expect(dailyDemand(sales, 13, 12)).toEqual([]);
    expect(utcDay(new Date('1970-01-02T23:59:59.999Z'))).toBe(1);
  });
});

describe('smoothing, against hand-computed series', () => {
  it('simple exponential smoothing (alpha 0.3) of 2, 4, 3', () => {
    // l = 2; e = 2, l = 2.6; e = 0.4, l = 2.72
    const fit = simpleExponentialSmoothing([2, 4, 3], 0.3);
    expect(fit.level).toBeCloseTo(2.72, 9);
    close(fit.errors, [2, 0.4]);
  });

  it('Holt (alpha 0.3, beta 0.1) of 2, 4, 5, 9', () => {
    // l=2 b=2 | y=4 f=4 e=0 l=4 b=2 | y=5 f=6 e=-1 l=5.7 b=1.97 | y=9 f=7.67 e=1.33 l=8.069 b=2.0099
    const fit = holt([2, 4, 5, 9], 0.3, 0.1);
    expect(fit.level).toBeCloseTo(8.069, 9);
    expect(fit.trend).toBeCloseTo(2.0099, 9);
    close(fit.errors, [0, -1, 1.33]);
    // mean of l + k b for k = 1..30 is l + 15.5 b
    expect(meanDailyDemand(fit, 30)).toBeCloseTo(8.069 + 15.5 * 2.0099, 9);
  });

  it('TSB (alpha 0.1, beta 0.1) of 0, 2, 0, 4', () => {
    // p0 = 2/4 = 0.5, z0 = 3
    // y=0: e = -1.5,            p = 0.45
    // y=2: e = 2 - 1.35 = 0.65, p = 0.505,  z = 2.9
    // y=0: e = -1.4645,         p = 0.4545
    // y=4: e = 4 - 1.31805,     p = 0.50905, z = 3.01
    const fit = tsb([0, 2, 0, 4], 0.1, 0.1);
    expect(fit.level).toBeCloseTo(0.50905 * 3.01, 9);
    close(fit.errors, [-1.5, 0.65, -1.4645, 2.68195]);
    expect(tsb([0, 0], 0.1, 0.1)).toEqual({ level: 0, trend: 0, errors: [] });
  });
});

describe('method choice and projection', () => {
  it('intermittent demand (a sale every 1.32 days or less often) gets TSB, sigma the root mean square of its errors', () => {
    const series = [0, 0, 3, 0, 0, 0, 5, 0];
    const model = fitDemand(series);
    const fit = tsb(series, 0.1, 0.1);
    expect(model.method).toBe('TSB');
    expect(model.level).toBeCloseTo(fit.level, 12);
    expect(model.sigma).toBeCloseTo(Math.sqrt(fit.errors.reduce((s, e) => s + e * e, 0) / fit.errors.length), 12);
    expect(model.historyDays).toBe(8);
  });

  it('regular demand gets HOLT from 14 days on, SES before', () => {
    expect(fitDemand([3, 4, 2, 5, 3, 4, 3, 5, 4, 3, 4, 5, 3, 4]).method).toBe('HOLT');
    expect(fitDemand([3, 4, 2, 5, 3]).method).toBe('SES');
    // one day: no error to measure the spread, so that of a Poisson count: sqrt(24)
    expect(fitDemand([24])).toEqual({ method: 'SES', level: 24, trend: 0, sigma: Math.sqrt(24), historyDays: 1 });
  });

  it('no sale at all is NO_HISTORY: zero demand, no stock-out, nothing to reorder', () => {
    const model = fitDemand([0, 0, 0]);
    expect(model).toMatchObject({ method: 'NO_HISTORY', level: 0, trend: 0, sigma: 0, historyDays: 3 });
    const projection = projectStock(model, 10, 30, 7, new Date('2026-01-01T00:00:00Z'));
    expect(projection).toEqual({ dailyDemand: 0, dailyDemandLow: 0, dailyDemandHigh: 0, daysUntilStockout: null, stockoutDate: null, suggestedReorderQuantity: 0 });
  });

  it('projects the stock-out and the reorder quantity by hand', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const p = projectStock({ method: 'SES', level: 2, trend: 0, sigma: 1, historyDays: 20 }, 10, 30, 7, now);
    expect(p.dailyDemand).toBe(2);
    expect(p.dailyDemandLow).toBeCloseTo(2 - 1.2815515655, 9);
    expect(p.dailyDemandHigh).toBeCloseTo(2 + 1.2815515655, 9);
    expect(p.daysUntilStockout).toBe(5);
    expect(p.stockoutDate?.toISOString()).toBe('2026-01-06T00:00:00.000Z');
    // 2 x 37 + 1.2816 x sqrt(37) - 10 = 71.795 -> 72
    expect(p.suggestedReorderQuantity).toBe(72);
    // nothing available (or oversold): out now, and the reorder covers the whole need
    const out = projectStock({ method: 'SES', level: 2, trend: 0, sigma: 0, historyDays: 20 }, -3, 10, 0, now);
    expect(out.daysUntilStockout).toBe(0);
    expect(out.suggestedReorderQuantity).toBe(20);
  });
});
