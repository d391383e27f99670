const DAY_MS = 86_400_000;

/** Whole UTC days since the epoch: the bucket of a sale. */
export const utcDay = (at: Date): number => Math.floor(at.getTime() / DAY_MS);

export const dayStart = (day: number): Date => new Date(day * DAY_MS);

/**
 * Units sold per UTC day from `fromDay` to `toDay` inclusive, zero on days without sales.
 * Sales outside the window are ignored. Today counts as a day, so a forecast read early in the
 * day sees a little less demand, but a sale shows in the next recomputation.
 */
export function dailyDemand(sales: readonly { day: number; quantity: number }[], fromDay: number, toDay: number): number[] {
  if (toDay < fromDay) return [];
  const series = new Array<number>(toDay - fromDay + 1).fill(0);
  for (const sale of sales) {
    if (sale.day < fromDay || sale.day > toDay) continue;
    series[sale.day - fromDay]! += sale.quantity;
  }
  return series;
}
