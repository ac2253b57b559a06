/**
 * Confidence intervals for a Poisson count and for a crude rate, as PHE/OHID (Fingertips) and
 * UKHSA's PHEindicatormethods `phe_rate` compute them: the exact (chi-square) method below 10
 * events and Byar's approximation from 10 events.
 */
import { chiSquareQuantile, normalQuantile } from './quantiles.ts';
import { requireConfidence, requireCount, requirePositive } from './validate.ts';

export interface Interval {
  lo: number;
  hi: number;
}

export interface RateCI {
  value: number;
  lo: number;
  hi: number;
}

/** Counts at or above this use Byar's method; below it the exact method (PHE practice). */
export const BYAR_MIN_COUNT = 10;
export const DEFAULT_CONFIDENCE = 0.95;
/** Rates in this product are per 1,000 person-years unless a caller says otherwise. */
export const DEFAULT_MULTIPLIER = 1000;

function twoSidedZ(confidence: number): number {
  return normalQuantile(confidence + (1 - confidence) / 2);
}

/** Byar's lower limit for an observed count (Breslow & Day 1987); count > 0. */
export function byarsLower(count: number, confidence = DEFAULT_CONFIDENCE): number {
  requireCount('count', count);
  requireConfidence(confidence);
  if (count === 0) return 0;
  const z = twoSidedZ(confidence);
  const base = 1 - 1 / (9 * count) - z / (3 * Math.sqrt(count));
  return Math.max(0, count * base ** 3);
}

/** Byar's upper limit for an observed count. */
export function byarsUpper(count: number, confidence = DEFAULT_CONFIDENCE): number {
  requireCount('count', count);
  requireConfidence(confidence);
  const z = twoSidedZ(confidence);
  const o1 = count + 1;
  return o1 * (1 - 1 / (9 * o1) + z / (3 * Math.sqrt(o1))) ** 3;
}

/** Exact lower limit: qchisq(alpha/2, 2 O) / 2, and 0 for O = 0. */
export function exactLower(count: number, confidence = DEFAULT_CONFIDENCE): number {
  requireCount('count', count);
  requireConfidence(confidence);
  if (count === 0) return 0;
  return chiSquareQuantile((1 - confidence) / 2, 2 * count) / 2;
}

/** Exact upper limit: qchisq(1 - alpha/2, 2 O + 2) / 2. */
export function exactUpper(count: number, confidence = DEFAULT_CONFIDENCE): number {
  requireCount('count', count);
  requireConfidence(confidence);
  return chiSquareQuantile(confidence + (1 - confidence) / 2, 2 * count + 2) / 2;
}

/** CI for a Poisson count: exact (chi-square) below 10 events, Byar's approximation from 10 (PHE practice). */
export function poissonCountCI(count: number, confidence = DEFAULT_CONFIDENCE): Interval {
  requireCount('count', count);
  requireConfidence(confidence);
  if (count < BYAR_MIN_COUNT) return { lo: exactLower(count, confidence), hi: exactUpper(count, confidence) };
  return { lo: byarsLower(count, confidence), hi: byarsUpper(count, confidence) };
}

/** Crude rate = count / population * multiplier with the poissonCountCI scaled. */
export function crudeRate(
  count: number,
  population: number,
  opts: { multiplier?: number; confidence?: number } = {},
): RateCI {
  requireCount('count', count);
  requirePositive('population', population);
  const multiplier = opts.multiplier ?? DEFAULT_MULTIPLIER;
  requirePositive('multiplier', multiplier);
  const ci = poissonCountCI(count, opts.confidence ?? DEFAULT_CONFIDENCE);
  const scale = multiplier / population;
  return { value: count * scale, lo: ci.lo * scale, hi: ci.hi * scale };
}
