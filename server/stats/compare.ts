/**
 * Comparison with a benchmark as Fingertips shows it for indicators without a polarity (demand is
 * neither better nor worse): Higher or Lower when the confidence interval excludes the benchmark,
 * Similar when it contains it (a benchmark exactly on a limit counts as contained).
 */
import type { Interval } from './poisson.ts';
import { requireFinite } from './validate.ts';

export type Comparison = 'higher' | 'similar' | 'lower';

/** Higher/Similar/Lower: whether the CI excludes the benchmark. */
export function compareWithBenchmark(ci: Interval, benchmark: number): Comparison {
  requireFinite('ci.lo', ci.lo);
  requireFinite('ci.hi', ci.hi);
  requireFinite('benchmark', benchmark);
  if (ci.lo > ci.hi) throw new RangeError(`ci.lo (${ci.lo}) must not exceed ci.hi (${ci.hi})`);
  if (ci.lo > benchmark) return 'higher';
  if (ci.hi < benchmark) return 'lower';
  return 'similar';
}
