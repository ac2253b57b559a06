/**
 * Funnel-plot control limits for rates.
 *
 * Published expected outputs: PHEindicatormethods test data
 * tests/testthat/testdata_funnel_rate_outputs.csv (ukhsa-collaboration/PHEindicatormethods,
 * commit 39d5df1f793223db24173db8971ba3c2f834b8d8), the expected result of
 * `calculate_funnel_limits(statistic = "rate", rate_type = "dsr", multiplier = 1e5,
 * years_of_data = 3)`. Each row gives, for an event count, the one-year population at which that
 * count sits on each limit and the limit there; baseline 116.1720835 per 100,000. So at
 * population = 3 x that one-year population our limit must equal the row's limit.
 *
 * PHE finds those populations by bisection stopping at a step of 6e-8 in v = mu / (1 + x + mu),
 * so its figures carry ~1e-7..1e-6 relative error (more where mu is tiny): we allow 2e-6, and
 * 1e-5 for the one row (1 event, upper 99.8%) where mu is 0.001.
 */
import { describe, expect, it } from 'vitest';
import { compareWithBenchmark, funnelLimits, poissonCountCI } from '../../server/stats/index.ts';
import { expectRel } from './helpers.ts';

const BASELINE = 116.1720835;
// Events, lower_2s_population_1_year, lower_2s_limit, upper_2s_population_1_year, upper_2s_limit,
// lower_3s_population_1_year, lower_3s_limit, upper_3s_population_1_year, upper_3s_limit
const PHE_ROWS: number[][] = [
  [1, 1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943, 0.287087625, 116108.569],
  [2, 2072.984403, 32.15975314, 69.49732367, 959.2695538, 3221.906682, 20.69168143, 13.02722321, 5117.48863],
  [10, 5276.757672, 63.17010446, 1375.943768, 242.2579623, 6924.776769, 48.13632908, 849.4639547, 392.4043292],
  [34, 13632.53222, 83.13446945, 6756.067705, 167.7504405, 16113.58264, 70.33403799, 5388.650748, 210.3185726],
  [99, 34583.45945, 95.42133877, 23087.10848, 142.9369123, 38382.78582, 85.97604186, 20393.92315, 161.8129075],
  [1360, 411529.9259, 110.158048, 369759.5622, 122.6021934, 424043.2424, 106.9073359, 358342.3275, 126.5084525],
];

describe('funnelLimits against PHEindicatormethods test data', () => {
  const opts95 = { multiplier: 1e5, confidence: 0.95 };
  const opts998 = { multiplier: 1e5, confidence: 0.998 };
  it.each(PHE_ROWS)('%d events', (events, p2l, l2, p2u, u2, p3l, l3, p3u, u3) => {
    expectRel(funnelLimits(BASELINE, p2l! * 3, opts95).lo, l2!, 2e-6);
    expectRel(funnelLimits(BASELINE, p2u! * 3, opts95).hi, u2!, 2e-6);
    expectRel(funnelLimits(BASELINE, p3l! * 3, opts998).lo, l3!, 2e-6);
    expectRel(funnelLimits(BASELINE, p3u! * 3, opts998).hi, u3!, events === 1 ? 1e-5 : 2e-6);
  });
});

describe('funnelLimits: exact consistency worked by hand', () => {
  // qchisq(0.975, 22)/2 = 18.390356042017780 is the exact upper 95% limit for 10 events
  // (table value 18.390). At a benchmark of 100 per 1,000 and 183.9035604201778 person-years the
  // expected count is exactly that, so 10 events sit on the lower funnel: 10 / 183.90356 x 1000
  // = 54.37629... Likewise qchisq(0.025, 20)/2 = 4.795388696132434 (exact lower limit of 10) puts
  // 10 events on the upper funnel at 47.95388696132434 person-years: 208.5339...
  it('puts a count on the funnel exactly where its exact CI touches the benchmark', () => {
    const lower = funnelLimits(100, 183.9035604201778, { confidence: 0.95 }).lo;
    expectRel(lower, (10 / 183.9035604201778) * 1000, 1e-10);
    const upper = funnelLimits(100, 47.95388696132434, { confidence: 0.95 }).hi;
    expectRel(upper, (10 / 47.95388696132434) * 1000, 1e-10);
  });
});

describe('funnelLimits: shape and edge cases', () => {
  it('contains the benchmark, narrows with population, and 99.8% is wider than 95%', () => {
    let previous = { lo: 0, hi: Infinity };
    for (const population of [500, 5_000, 50_000, 500_000, 5_000_000]) {
      const f95 = funnelLimits(20, population);
      const f998 = funnelLimits(20, population, { confidence: 0.998 });
      expect(f95.lo).toBeLessThan(20);
      expect(f95.hi).toBeGreaterThan(20);
      expect(f998.lo).toBeLessThan(f95.lo);
      expect(f998.hi).toBeGreaterThan(f95.hi);
      expect(f95.lo).toBeGreaterThan(previous.lo);
      expect(f95.hi).toBeLessThan(previous.hi);
      previous = f95;
    }
  });

  it('agrees with the area comparison: outside the funnel exactly when the CI excludes the benchmark', () => {
    // Around 30 expected events, for counts on both sides of the limits.
    const population = 1500;
    const benchmark = 20; // per 1,000, so 30 expected
    const f = funnelLimits(benchmark, population, { confidence: 0.95 });
    for (let count = 10; count <= 60; count++) {
      const rate = (count / population) * 1000;
      const ci = poissonCountCI(count);
      const side = compareWithBenchmark({ lo: (ci.lo / population) * 1000, hi: (ci.hi / population) * 1000 }, benchmark);
      // Byar (>= 10) is an approximation of the exact limits the funnel is built from, so allow
      // disagreement only within a whisker of the limit.
      const nearLimit = Math.min(Math.abs(rate - f.lo), Math.abs(rate - f.hi)) < 0.02;
      if (!nearLimit) {
        const outside = rate < f.lo ? 'lower' : rate > f.hi ? 'higher' : 'similar';
        expect(side, `count ${count}`).toBe(outside);
      }
    }
  });

  it('a tiny population has a lower limit of 0 (no count could be low)', () => {
    // Expected 0.002 events: e^-0.002 > 0.025, so even 0 events is not significantly low.
    const f = funnelLimits(20, 0.1);
    expect(f.lo).toBe(0);
    expect(f.hi).toBeGreaterThan(20);
    expect(Number.isFinite(f.hi)).toBe(true);
  });

  it('a zero benchmark gives a zero-width funnel', () => {
    expect(funnelLimits(0, 1000)).toEqual({ lo: 0, hi: 0 });
  });

  it('is fast enough at region scale (5 million person-years)', () => {
    const f = funnelLimits(150, 5_000_000, { confidence: 0.998 });
    // Normal approximation as a sanity bound: 150 +/- 3.09 sqrt(750000)/5000 = 150 +/- 0.535
    expect(f.lo).toBeGreaterThan(149.4);
    expect(f.lo).toBeLessThan(149.5);
    expect(f.hi).toBeGreaterThan(150.5);
    expect(f.hi).toBeLessThan(150.6);
  });

  it.each([
    [() => funnelLimits(-1, 100), /benchmarkRate must be >= 0/],
    [() => funnelLimits(10, 0), /population must be > 0/],
    [() => funnelLimits(NaN, 100), /benchmarkRate must be a finite number/],
    [() => funnelLimits(10, 100, { confidence: 0 }), /confidence/],
    [() => funnelLimits(10, 100, { multiplier: Infinity }), /multiplier/],
  ])('rejects bad input %#', (fn, message) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(message);
  });
});
