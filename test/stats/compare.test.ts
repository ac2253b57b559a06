/**
 * Higher / Similar / Lower against a benchmark (Fingertips "compared with benchmark" without
 * polarity). Cases use the PHEindicatormethods vignette rates (see poisson.test.ts) against an
 * England-style benchmark.
 */
import { describe, expect, it } from 'vitest';
import { compareWithBenchmark, crudeRate } from '../../server/stats/index.ts';

describe('compareWithBenchmark', () => {
  it('is higher when the whole CI is above the benchmark', () => {
    expect(compareWithBenchmark({ lo: 44144.645, hi: 67161.31 }, 30_000)).toBe('higher');
  });

  it('is lower when the whole CI is below it', () => {
    expect(compareWithBenchmark({ lo: 8474.053, hi: 20065.59 }, 30_000)).toBe('lower');
  });

  it('is similar when the CI contains it, including on either limit', () => {
    expect(compareWithBenchmark({ lo: 16485.2, hi: 36987.9 }, 30_000)).toBe('similar');
    expect(compareWithBenchmark({ lo: 30_000, hi: 36987.9 }, 30_000)).toBe('similar');
    expect(compareWithBenchmark({ lo: 16485.2, hi: 30_000 }, 30_000)).toBe('similar');
  });

  it('works on crudeRate output: 28 in 137 vs 92 in 168 per 100,000', () => {
    const low = crudeRate(28, 137, { multiplier: 1e5 });
    const high = crudeRate(92, 168, { multiplier: 1e5 });
    expect(compareWithBenchmark(low, 40_000)).toBe('lower');
    expect(compareWithBenchmark(high, 40_000)).toBe('higher');
  });

  it('rejects non-finite or inverted intervals', () => {
    expect(() => compareWithBenchmark({ lo: NaN, hi: 1 }, 0)).toThrow(RangeError);
    expect(() => compareWithBenchmark({ lo: 0, hi: 1 }, Infinity)).toThrow(/benchmark/);
    expect(() => compareWithBenchmark({ lo: 2, hi: 1 }, 1)).toThrow(/must not exceed/);
  });
});
