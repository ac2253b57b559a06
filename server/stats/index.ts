/** Public face of the statistics module used by /api/demand and /api/compare (see README.md). */
export type { Interval, RateCI } from './poisson.ts';
export {
  BYAR_MIN_COUNT,
  DEFAULT_CONFIDENCE,
  DEFAULT_MULTIPLIER,
  byarsLower,
  byarsUpper,
  crudeRate,
  exactLower,
  exactUpper,
  poissonCountCI,
} from './poisson.ts';
export type { Stratum } from './dsr.ts';
export { DSR_MIN_COUNT, directlyStandardisedRate, esp2013Standard } from './dsr.ts';
export { funnelLimits } from './funnel.ts';
export type { Comparison } from './compare.ts';
export { compareWithBenchmark } from './compare.ts';
export { chiSquareQuantile, normalQuantile } from './quantiles.ts';
export { gammaP, gammaQ, inverseGammaP, logGamma } from './gamma.ts';
