import { crudeRate, poissonCountCI, type Interval } from '../stats/index.ts';

/** Rates are per 1,000 person-years. */
export const RATE_MULTIPLIER = 1000;

// The Poisson interval of a count depends on nothing else, and small counts need an iterative
// chi-square inverse (~25 µs each): a table of a few thousand cells would spend most of its time
// there, so intervals are remembered per count (bounded).
const intervals = new Map<number, Interval>();
const MAX_REMEMBERED = 100_000;

function countInterval(count: number): Interval {
  let ci = intervals.get(count);
  if (!ci) {
    ci = poissonCountCI(count, 0.95);
    if (intervals.size < MAX_REMEMBERED) intervals.set(count, ci);
  }
  return ci;
}

/**
 * Crude rate per 1,000 person-years with its 95% interval (Byar; exact below 10 events), the
 * same numbers as `crudeRate` from the stats module; null when there are no person-years.
 */
export function crudeRatePer1000(count: number, personYears: number): { value: number; lo: number; hi: number } | null {
  if (!(personYears > 0)) return null;
  if (!Number.isInteger(count)) return crudeRate(count, personYears, { multiplier: RATE_MULTIPLIER });
  const ci = countInterval(count);
  const scale = RATE_MULTIPLIER / personYears;
  return { value: count * scale, lo: ci.lo * scale, hi: ci.hi * scale };
}
