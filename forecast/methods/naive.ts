import type { MethodOutput } from './types.ts';

/**
 * Naive and seasonal naive benchmarks with Hyndman & Athanasopoulos (FPP3, 5.5) interval widths:
 * naive sd_h = sigma * sqrt(h); seasonal naive sd_h = sigma * sqrt(floor((h - 1) / m) + 1).
 */
function residualSigma(y: readonly number[], lag: number): number {
  let s = 0;
  let k = 0;
  for (let t = lag; t < y.length; t++) {
    s += (y[t]! - y[t - lag]!) ** 2;
    k++;
  }
  return k > 1 ? Math.sqrt(s / (k - 1)) : k === 1 ? Math.sqrt(s) : Number.NaN;
}

export function naive(y: readonly number[], _m: number, h: number): MethodOutput {
  const n = y.length;
  const last = y[n - 1]!;
  let sigma = residualSigma(y, 1);
  let detail = 'Naive';
  if (n < 3) {
    // Too little data to estimate spread: deliberately wide (at least 25% of the level a month).
    const level = Math.abs(y.reduce((a, b) => a + b, 0) / n);
    sigma = Math.max(Number.isFinite(sigma) ? sigma : 0, 0.25 * level, 1);
    detail = 'Naive (fewer than 3 points: wide intervals)';
  }
  return {
    point: Array.from({ length: h }, () => last),
    sd: Array.from({ length: h }, (_, i) => sigma * Math.sqrt(i + 1)),
    fitted: y.map((_, t) => (t >= 1 ? y[t - 1]! : Number.NaN)),
    detail,
  };
}

export function seasonalNaive(y: readonly number[], m: number, h: number): MethodOutput {
  const n = y.length;
  if (n < m || m < 2) return { ...naive(y, m, h), detail: 'Naive (series shorter than one season)' };
  const sigma = residualSigma(y, m);
  const s = Number.isFinite(sigma) ? sigma : Math.abs(y[n - 1]!) * 0.25;
  return {
    point: Array.from({ length: h }, (_, i) => y[n - m + (i % m)]!),
    sd: Array.from({ length: h }, (_, i) => s * Math.sqrt(Math.floor(i / m) + 1)),
    fitted: y.map((_, t) => (t >= m ? y[t - m]! : Number.NaN)),
    detail: 'Seasonal naive',
  };
}
