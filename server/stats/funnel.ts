/**
 * Poisson funnel-plot control limits for a rate, as UKHSA's PHEindicatormethods
 * `calculate_funnel_limits(statistic = "rate")` (PHE Fingertips technical guidance) draws them.
 *
 * PHE walks along observed event counts x and, for each, finds the population at which x's exact
 * Poisson confidence limit just reaches the benchmark: the lower funnel passes through
 * (P, x / P) where qchisq(1 - alpha/2, 2x + 2)/2 = benchmark * P, the upper through
 * qchisq(alpha/2, 2x)/2 = benchmark * P. Here the population is given, so we solve the same
 * equations for a continuous x. With E = benchmark * P expected events and the identity
 * qchisq(q, 2k)/2 = E  <=>  P(k, E) = q (regularised incomplete gamma):
 *
 *   lower: Q(x + 1, E) = alpha/2   (x = 0 when even no events would be "low": e^-E >= alpha/2)
 *   upper: P(x, E)     = alpha/2
 *
 * and the limits are x / P * multiplier. An area whose rate lies outside them is exactly an area
 * whose exact CI excludes the benchmark, which is the point of the funnel.
 */
import { gammaP, gammaQ } from './gamma.ts';
import { DEFAULT_CONFIDENCE, DEFAULT_MULTIPLIER, type Interval } from './poisson.ts';
import { requireConfidence, requireCount, requirePositive } from './validate.ts';

/**
 * Root of a continuous increasing f on [lo, hi] with f(lo) <= 0 <= f(hi), by the Illinois
 * variant of regula falsi (superlinear) falling back to bisection when it stalls.
 */
function solveIncreasing(f: (a: number) => number, lo: number, hi: number): number {
  let flo = f(lo);
  let fhi = f(hi);
  let side = 0;
  for (let i = 0; i < 300; i++) {
    if (hi - lo <= 1e-14 * Math.max(1, Math.abs(hi))) break;
    let mid = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(mid > lo && mid < hi)) mid = 0.5 * (lo + hi);
    const fm = f(mid);
    if (fm === 0) return mid;
    if (fm < 0) {
      lo = mid;
      flo = fm;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = mid;
      fhi = fm;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return 0.5 * (lo + hi);
}

/** Grows an upper bracket for the event count until f(hi) >= 0. */
function upperBracket(f: (a: number) => number, start: number, expected: number): number {
  let hi = Math.max(start + 1, expected + 10 * Math.sqrt(expected) + 10);
  for (let i = 0; i < 200 && f(hi) < 0; i++) hi *= 2;
  return hi;
}

/** Poisson funnel control limits for a rate at a given population around a benchmark rate (both per multiplier). Exact Poisson (chi-square) limits on the expected count, as PHE's funnel plot guidance / PHEindicatormethods. */
export function funnelLimits(
  benchmarkRate: number,
  population: number,
  opts: { multiplier?: number; confidence?: number } = {},
): Interval {
  requireCount('benchmarkRate', benchmarkRate);
  requirePositive('population', population);
  const multiplier = opts.multiplier ?? DEFAULT_MULTIPLIER;
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  requirePositive('multiplier', multiplier);
  requireConfidence(confidence);

  const expected = (benchmarkRate * population) / multiplier;
  if (expected === 0) return { lo: 0, hi: 0 };
  const tail = (1 - confidence) / 2;

  // Lower: shape k = x + 1 >= 1 with Q(k, E) = tail; Q rises with k.
  let lowerCount = 0;
  const fLower = (k: number): number => gammaQ(k, expected) - tail;
  if (fLower(1) < 0) lowerCount = solveIncreasing(fLower, 1, upperBracket(fLower, 1, expected)) - 1;

  // Upper: shape x > 0 with P(x, E) = tail; P falls with x, so solve tail - P(x, E) = 0.
  const fUpper = (x: number): number => tail - gammaP(x, expected);
  let lo = Math.min(expected, 1);
  while (fUpper(lo) > 0 && lo > 1e-300) lo /= 2;
  const upperCount = solveIncreasing(fUpper, lo, upperBracket(fUpper, lo, expected));

  const scale = multiplier / population;
  return { lo: Math.max(0, lowerCount) * scale, hi: upperCount * scale };
}
