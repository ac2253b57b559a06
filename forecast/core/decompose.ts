import { acf } from './stats.ts';

/**
 * Classical decomposition (R's `decompose`) and the 90% seasonality test used by Hyndman's
 * `thetaf` and the M4 benchmarks: seasonal when |r_m| > 1.645 * sqrt((1 + 2 * sum_{k<m} r_k^2) / n).
 */
export function isSeasonal(y: ArrayLike<number>, m: number): boolean {
  const n = y.length;
  if (m < 2 || n <= 2 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k]! ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * s) / n);
  return Math.abs(r[m - 1]!) > limit;
}

/**
 * Seasonal indices by position (index i applies to observations t with t % m === i), from a
 * centred 2 x m moving average. Multiplicative indices average 1, additive ones 0.
 */
export function seasonalIndices(y: ArrayLike<number>, m: number, type: 'multiplicative' | 'additive'): number[] {
  const n = y.length;
  const half = m >> 1;
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = half; t < n - half; t++) {
    let ma: number;
    if (m % 2 === 0) {
      let s = 0.5 * (y[t - half]! + y[t + half]!);
      for (let k = t - half + 1; k < t + half; k++) s += y[k]!;
      ma = s / m;
    } else {
      let s = 0;
      for (let k = t - half; k <= t + half; k++) s += y[k]!;
      ma = s / m;
    }
    const d = type === 'multiplicative' ? y[t]! / ma : y[t]! - ma;
    if (!Number.isFinite(d)) continue;
    sums[t % m]! += d;
    counts[t % m]!++;
  }
  const idx = sums.map((s, i) => (counts[i]! ? s / counts[i]! : type === 'multiplicative' ? 1 : 0));
  const avg = idx.reduce((a, b) => a + b, 0) / m;
  return type === 'multiplicative' ? idx.map((v) => v / avg) : idx.map((v) => v - avg);
}

export interface Deseasonalised {
  adjusted: number[];
  /** Seasonal component for time t (t may run past the data, for forecasts). */
  at: (t: number) => number;
  type: 'multiplicative' | 'additive' | 'none';
  reseason: (value: number, t: number) => number;
}

/**
 * Deseasonalise when the test passes: multiplicatively for strictly positive data, additively
 * otherwise (a ratio to a zero or negative moving average is meaningless).
 */
export function deseasonalise(y: readonly number[], m: number, force = false): Deseasonalised {
  const seasonal = m > 1 && (force ? y.length >= 2 * m : isSeasonal(y, m));
  if (!seasonal) {
    return { adjusted: y.slice(), at: () => 0, type: 'none', reseason: (v) => v };
  }
  const positive = y.every((v) => v > 0);
  const type = positive ? 'multiplicative' : 'additive';
  const idx = seasonalIndices(y, m, type);
  const at = (t: number): number => idx[((t % m) + m) % m]!;
  if (type === 'multiplicative') {
    return { adjusted: y.map((v, t) => v / at(t)), at, type, reseason: (v, t) => v * at(t) };
  }
  return { adjusted: y.map((v, t) => v - at(t)), at, type, reseason: (v, t) => v + at(t) };
}
