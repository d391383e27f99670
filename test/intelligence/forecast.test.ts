import { describe, expect, it } from 'vitest';
import { crostonSba } from '../../src/modules/intelligence/forecast/croston.js';
import { dailyDemand, utcDay } from '../../src/modules/intelligence/forecast/demand-series.js';
import { fitDemand, meanDailyDemand } from '../../src/modules/intelligence/forecast/demand-model.js';
import { holt, simpleExponentialSmoothing } from '../../src/modules/intelligence/forecast/smoothing.js';
import { projectStock } from '../../src/modules/intelligence/forecast/stock-projection.js';

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

  it('Croston SBA (alpha 0.1) of 0, 0, 3, 0, 0, 0, 5, 0', () => {
    // z=3 p=3 rate=0.95*3/3=0.95 | at day 6: z=3.2 p=3+0.1*(4-3)=3.1 rate=0.95*3.2/3.1
    const fit = crostonSba([0, 0, 3, 0, 0, 0, 5, 0], 0.1);
    expect(fit.level).toBeCloseTo((0.95 * 3.2) / 3.1, 9);
    close(fit.errors, [-0.95, -0.95, -0.95, 4.05, -(0.95 * 3.2) / 3.1]);
  });
});

describe('method choice and projection', () => {
  it('intermittent demand gets CROSTON_SBA with the errors root mean square as sigma', () => {
    const model = fitDemand([0, 0, 3, 0, 0, 0, 5, 0]);
    const rate = (0.95 * 3.2) / 3.1;
    expect(model.method).toBe('CROSTON_SBA');
    expect(model.level).toBeCloseTo(rate, 9);
    expect(model.sigma).toBeCloseTo(Math.sqrt((3 * 0.95 ** 2 + 4.05 ** 2 + rate ** 2) / 5), 9);
    expect(model.historyDays).toBe(8);
  });

  it('regular demand gets HOLT from 14 days on, SES before', () => {
    expect(fitDemand([3, 4, 2, 5, 3, 4, 3, 5, 4, 3, 4, 5, 3, 4]).method).toBe('HOLT');
    expect(fitDemand([3, 4, 2, 5, 3]).method).toBe('SES');
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
