import type { Fit } from './smoothing.js';

/**
 * Croston's method with the Syntetos-Boylan correction, for intermittent demand. Sizes z and
 * intervals p are smoothed only on days with a sale: z0 is the first sale's size and p0 its
 * position (1-based) in the series; at each later sale, z += alpha (size - z) and
 * p += alpha (days since the previous sale - p). The daily rate is (1 - alpha / 2) z / p.
 * Errors are the one-step-ahead errors of that rate from the day after the first sale on.
 */
export function crostonSba(series: readonly number[], alpha: number): Fit {
  const first = series.findIndex((y) => y > 0);
  if (first < 0) return { level: 0, trend: 0, errors: [] };
  let size = series[first]!;
  let interval = first + 1;
  let last = first;
  const errors: number[] = [];
  const rate = () => (1 - alpha / 2) * (size / interval);
  for (let t = first + 1; t < series.length; t++) {
    const y = series[t]!;
    errors.push(y - rate());
    if (y <= 0) continue;
    size += alpha * (y - size);
    interval += alpha * (t - last - interval);
    last = t;
  }
  return { level: rate(), trend: 0, errors };
}
