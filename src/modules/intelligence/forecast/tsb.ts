import type { Fit } from './smoothing.js';

/**
 * Teunter-Syntetos-Babai, for intermittent demand that may also fade out: the probability of a
 * sale on a day (p) is smoothed every day with beta, the size of a sale (z) on sale days with
 * alpha; the daily rate is p z. Starts from the whole series: p0 = share of days with a sale,
 * z0 = mean size of a sale. Errors are the one-step-ahead errors of p z on every day.
 */
export function tsb(series: readonly number[], alpha: number, beta: number): Fit {
  const sales = series.filter((y) => y > 0);
  if (sales.length === 0) return { level: 0, trend: 0, errors: [] };
  let probability = sales.length / series.length;
  let size = sales.reduce((a, b) => a + b, 0) / sales.length;
  const errors: number[] = [];
  for (const y of series) {
    errors.push(y - probability * size);
    if (y > 0) {
      probability += beta * (1 - probability);
      size += alpha * (y - size);
    } else {
      probability -= beta * probability;
    }
  }
  return { level: probability * size, trend: 0, errors };
}
