/**
 * Directly standardised rates with Dobson confidence limits, exactly as UKHSA's
 * PHEindicatormethods `phe_dsr` / `calculate_dsr` (independent events):
 *
 *   DSR  = sum(w_i O_i / n_i) / sum(w_i) * multiplier
 *   var  = sum(w_i^2 O_i / n_i^2) / (sum w_i)^2
 *   O    = sum O_i
 *   lo   = DSR + sqrt(var / O) * (O_lo - O) * multiplier      (hi likewise with O_hi)
 *
 * where O_lo, O_hi are Byar's limits for O. PHE does not publish a DSR below 10 events, so the
 * function returns null there; if a caller lowers minCount, counts below 10 get exact limits
 * (our poissonCountCI), which PHE never reaches.
 */
import { AGE_BANDS } from '../../domain/age-bands.ts';
import { DEFAULT_CONFIDENCE, DEFAULT_MULTIPLIER, poissonCountCI, type RateCI } from './poisson.ts';
import { requireConfidence, requireCount, requireFinite, requirePositive } from './validate.ts';

export interface Stratum {
  count: number;
  population: number;
  standard: number;
}

/** PHE practice: DSRs are not calculated for fewer than 10 events. */
export const DSR_MIN_COUNT = 10;

/** The 19 ESP2013 standard populations (0-4 ... 90+), in band order, total 100,000. */
export function esp2013Standard(): number[] {
  return AGE_BANDS.map((b) => b.esp2013);
}

/** DSR with Dobson CIs (PHEindicatormethods phe_dsr): null when total count < 10 (opts.minCount, default 10). */
export function directlyStandardisedRate(
  strata: Stratum[],
  opts: { multiplier?: number; confidence?: number; minCount?: number } = {},
): RateCI | null {
  const multiplier = opts.multiplier ?? DEFAULT_MULTIPLIER;
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  const minCount = opts.minCount ?? DSR_MIN_COUNT;
  requirePositive('multiplier', multiplier);
  requireConfidence(confidence);
  requireFinite('minCount', minCount);
  // Dobson divides by the total count, so a DSR of zero events has no interval.
  if (minCount < 1) throw new RangeError(`minCount must be >= 1, got ${minCount}`);
  if (!Array.isArray(strata) || strata.length === 0) throw new RangeError('strata must be a non-empty array');

  let total = 0;
  let weightSum = 0;
  let weighted = 0;
  let variance = 0;
  strata.forEach((s, i) => {
    requireCount(`strata[${i}].count`, s.count);
    requirePositive(`strata[${i}].population`, s.population);
    requireCount(`strata[${i}].standard`, s.standard);
    const w = s.standard / s.population;
    total += s.count;
    weightSum += s.standard;
    weighted += s.count * w;
    variance += s.count * w * w;
  });
  if (weightSum <= 0) throw new RangeError('strata standard populations must not all be zero');
  if (total < minCount) return null;

  const value = (weighted / weightSum) * multiplier;
  const sd = Math.sqrt(variance / (weightSum * weightSum) / total);
  const ci = poissonCountCI(total, confidence);
  return {
    value,
    lo: value + sd * (ci.lo - total) * multiplier,
    hi: value + sd * (ci.hi - total) * multiplier,
  };
}
