/** A fitted model: where it stands after the last day, and its one-step-ahead errors in the sample. */
export interface Fit {
  level: number;
  trend: number;
  errors: number[];
}

/** Simple exponential smoothing: l0 = y0, then l = l + alpha (y - l); the forecast is flat at l. */
export function simpleExponentialSmoothing(series: readonly number[], alpha: number): Fit {
  if (series.length === 0) return { level: 0, trend: 0, errors: [] };
  let level = series[0]!;
  const errors: number[] = [];
  for (let t = 1; t < series.length; t++) {
    const error = series[t]! - level;
    errors.push(error);
    level += alpha * error;
  }
  return { level, trend: 0, errors };
}

/**
 * Holt's linear trend: l0 = y0, b0 = y1 - y0, then for each later day
 * l' = alpha y + (1 - alpha)(l + b), b' = beta (l' - l) + (1 - beta) b. The k-day-ahead forecast is l + k b.
 */
export function holt(series: readonly number[], alpha: number, beta: number): Fit {
  if (series.length < 2) return simpleExponentialSmoothing(series, alpha);
  let level = series[0]!;
  let trend = series[1]! - series[0]!;
  const errors: number[] = [];
  for (let t = 1; t < series.length; t++) {
    const y = series[t]!;
    errors.push(y - (level + trend));
    const next = alpha * y + (1 - alpha) * (level + trend);
    trend = beta * (next - level) + (1 - beta) * trend;
    level = next;
  }
  return { level, trend, errors };
}
