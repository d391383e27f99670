import { describe, expect, it } from 'vitest';
import { HISTORY_DAYS, planDemoStore, utcMidnight } from '../../prisma/seed/sales-plan.js';

const DAY_MS = 86_400_000;
const today = utcMidnight(new Date('2026-11-25T17:00:00Z'));

describe('the demo store plan', () => {
  it('is the same plan every time for the same day, and the same store a week later', () => {
    expect(JSON.stringify(planDemoStore(today))).toBe(JSON.stringify(planDemoStore(today)));
    const later = planDemoStore(new Date(today.getTime() + 7 * DAY_MS));
    expect(later.map((p) => p.products)).toEqual(planDemoStore(today).map((p) => p.products));
    expect(later[0]!.start.getTime() - planDemoStore(today)[0]!.start.getTime()).toBe(7 * DAY_MS);
  });

  it('sells within the stock it has, and ends each product at the quantity it is created with', () => {
    for (const plan of planDemoStore(today)) {
      const onHand = plan.products.map((p) => p.openingQuantity);
      for (const m of plan.movements) {
        onHand[m.product]! += m.delta;
        expect(onHand[m.product]).toBe(m.quantityAfter);
        expect(m.quantityAfter).toBeGreaterThanOrEqual(0);
        expect(m.at.getTime()).toBeGreaterThanOrEqual(plan.start.getTime());
        expect(m.at.getTime()).toBeLessThan(today.getTime());
      }
      expect(onHand).toEqual(plan.products.map((p) => p.finalQuantity));
    }
  });

  it('has trending products days from running out, low-stock ones and slow sellers', () => {
    for (const plan of planDemoStore(today)) {
      const soldBetween = (product: number, fromDay: number, toDay: number) =>
        plan.movements
          .filter((m) => m.product === product && m.reason === 'SOLD')
          .filter((m) => m.at.getTime() >= plan.start.getTime() + fromDay * DAY_MS && m.at.getTime() < plan.start.getTime() + toDay * DAY_MS)
          .reduce((sum, m) => sum - m.delta, 0);
      const kinds = plan.products.map((p) => p.kind);
      expect(kinds.filter((k) => k === 'trending')).toHaveLength(3);
      plan.products.forEach((p, i) => {
        if (p.kind === 'trending') {
          expect(p.finalQuantity).toBeGreaterThanOrEqual(1);
          expect(p.finalQuantity).toBeLessThanOrEqual(3);
          expect(soldBetween(i, HISTORY_DAYS - 14, HISTORY_DAYS)).toBeGreaterThan(2 * soldBetween(i, 0, 14));
        }
        if (p.kind === 'low') expect(p.finalQuantity).toBeLessThanOrEqual(p.lowStockThreshold);
        if (p.kind === 'slow') expect(soldBetween(i, 0, HISTORY_DAYS)).toBeLessThan(HISTORY_DAYS / 3);
      });
    }
  });
});
