/**
 * Directly standardised rates with Dobson CIs.
 *
 * Published example: PHEindicatormethods DSR vignette, section "Zero deaths for a specific age
 * band within a small geography" (cran/PHEindicatormethods inst/doc/DSR-vignette.html, also
 * ukhsa-collaboration/PHEindicatormethods inst/doc/DSR-vignette.html): pops2 / deaths2 with
 * ESP2013 gives `phe_dsr(df3, dths, pop)` = total_count 88, total_pop 860, value 8283.016,
 * lowercl 6570.819, uppercl 10289.65 (95%, per 100,000).
 *
 * The vignette prints no 99.8% interval for it, so that one is worked by hand below from the
 * phe_dsr formula (arithmetic done step by step, not with our code).
 */
import { describe, expect, it } from 'vitest';
import { directlyStandardisedRate, esp2013Standard, type Stratum } from '../../server/stats/index.ts';
import { expectPrinted, expectRel } from './helpers.ts';

// Vignette data: ages 0,5,...,90; no deaths in 10-14, 15-19, 20-24.
const POPS = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15];
const DEATHS = [1, 1, 0, 0, 0, 1, 1, 3, 3, 3, 3, 10, 10, 10, 10, 8, 8, 8, 8];

function vignetteStrata(): Stratum[] {
  const std = esp2013Standard();
  return POPS.map((population, i) => ({ count: DEATHS[i]!, population, standard: std[i]! }));
}

describe('esp2013Standard', () => {
  it('is the 19-band ESP2013 totalling 100,000', () => {
    const std = esp2013Standard();
    expect(std).toHaveLength(19);
    expect(std[0]).toBe(5000);
    expect(std[18]).toBe(1000);
    expect(std.reduce((a, b) => a + b, 0)).toBe(100_000);
  });
});

describe('directlyStandardisedRate: PHEindicatormethods DSR vignette', () => {
  it('reproduces 8283.016 (6570.819 to 10289.65) per 100,000 at 95%', () => {
    const r = directlyStandardisedRate(vignetteStrata(), { multiplier: 100_000, confidence: 0.95 });
    expect(r).not.toBeNull();
    expectPrinted(r!.value, '8283.016');
    expectPrinted(r!.lo, '6570.819');
    expectPrinted(r!.hi, '10289.65');
  });

  // By hand, per 100,000:
  //   O = sum(deaths) = 88; sum(w) = 100,000
  //   sum(w_i O_i / n_i) = 8283.0158730; DSR = 8283.0158730 / 100,000 x 100,000 = 8283.0158730
  //   sum(w_i^2 O_i / n_i^2) = 849,808.982111; var = 849,808.982111 / 100,000^2 = 8.49808982e-5
  //   sqrt(var / O) = sqrt(8.49808982e-5 / 88) = 9.826963036e-4
  //   z(99.8%) = 3.090232306; Byar O_lo(88) = 88 (1 - 1/792 - 3.090232306/(3 sqrt 88))^3 = 61.81394499
  //                           O_hi(88) = 89 (1 - 1/801 + 3.090232306/(3 sqrt 89))^3 = 121.0425889
  //   lo = 8283.0158730 + 9.826963036e-4 x (61.81394499 - 88) x 100,000 = 5709.721926
  //   hi = 8283.0158730 + 9.826963036e-4 x (121.0425889 - 88) x 100,000 = 11530.098868
  it('gives 5709.722 to 11530.099 per 100,000 at 99.8% (worked by hand)', () => {
    const r = directlyStandardisedRate(vignetteStrata(), { multiplier: 100_000, confidence: 0.998 });
    expectRel(r!.value, 8283.015873015873, 1e-12);
    expectRel(r!.lo, 5709.721926, 1e-9);
    expectRel(r!.hi, 11530.098868, 1e-9);
  });

  it('defaults to per 1,000 at 95% and scales linearly with the multiplier', () => {
    const perThousand = directlyStandardisedRate(vignetteStrata())!;
    expectPrinted(perThousand.value, '82.83016');
    expectPrinted(perThousand.lo, '65.70819');
    expectPrinted(perThousand.hi, '102.8965');
  });
});

describe('directlyStandardisedRate: the 10-event rule and edge cases', () => {
  // Byar 95% for O = 10 by hand: z = 1.959963985; 10 (1 - 1/90 - 1.959963985/(3 sqrt 10))^3 =
  // 10 (1 - 0.0111111111 - 0.2065983441)^3 = 10 x 0.7822905448^3 = 4.787449914;
  // 11 (1 - 1/99 + 1.959963985/(3 sqrt 11))^3 = 11 x 1.1868827820^3 = 18.391458606.
  // One stratum of 1,000 people with 10 events and the whole standard: var = 10/1000^2,
  // sqrt(var/O) = 1/1000, so the limits are the count's Byar limits per 1,000 people.
  it('exactly 10 events is shown, with Byar limits', () => {
    const r = directlyStandardisedRate([{ count: 10, population: 1000, standard: 100_000 }]);
    expect(r).not.toBeNull();
    expectRel(r!.value, 10, 1e-14);
    expectRel(r!.lo, 4.787449914, 1e-9);
    expectRel(r!.hi, 18.391458606, 1e-9);
  });

  it('9 events is suppressed (null), as is 0', () => {
    expect(directlyStandardisedRate([{ count: 9, population: 1000, standard: 100_000 }])).toBeNull();
    expect(directlyStandardisedRate([{ count: 0, population: 1000, standard: 100_000 }])).toBeNull();
    const strata = vignetteStrata().map((s) => ({ ...s, count: s.count > 0 ? 1 : 0 })); // 16 bands with 1 event
    expect(directlyStandardisedRate(strata, { minCount: 17 })).toBeNull();
    expect(directlyStandardisedRate(strata, { minCount: 16 })).not.toBeNull();
  });

  it('with a lowered minCount, counts below 10 use exact limits for O', () => {
    // One stratum, 5 events in 1,000: limits are the exact limits of 5 per 1,000 (1.623486, 11.668332).
    const r = directlyStandardisedRate([{ count: 5, population: 1000, standard: 1 }], { minCount: 1 })!;
    expectRel(r.lo, 1.6234863901184207, 1e-10);
    expectRel(r.hi, 11.66833207932267, 1e-10);
  });

  it('a tiny stratum population carries its weight (no division surprises)', () => {
    const r = directlyStandardisedRate([
      { count: 12, population: 0.25, standard: 1000 },
      { count: 0, population: 5000, standard: 99_000 },
    ])!;
    // DSR = (12 x 1000 / 0.25) / 100,000 x 1000 = 480
    expectRel(r.value, 480, 1e-14);
    expect(r.lo).toBeLessThan(480);
    expect(r.hi).toBeGreaterThan(480);
  });

  it.each([
    [[], /non-empty/],
    [[{ count: -1, population: 10, standard: 1 }], /strata\[0\]\.count must be >= 0/],
    [[{ count: 10, population: 0, standard: 1 }], /strata\[0\]\.population must be > 0/],
    [[{ count: 10, population: NaN, standard: 1 }], /strata\[0\]\.population must be a finite number/],
    [[{ count: 10, population: 5, standard: -1 }], /strata\[0\]\.standard must be >= 0/],
    [[{ count: 10, population: 5, standard: 0 }], /must not all be zero/],
  ])('rejects bad strata %#', (strata, message) => {
    expect(() => directlyStandardisedRate(strata as Stratum[])).toThrow(RangeError);
    expect(() => directlyStandardisedRate(strata as Stratum[])).toThrow(message);
  });

  it('rejects bad options', () => {
    expect(() => directlyStandardisedRate(vignetteStrata(), { minCount: 0 })).toThrow(/minCount must be >= 1/);
    expect(() => directlyStandardisedRate(vignetteStrata(), { confidence: 0.95 * 100 })).toThrow(/confidence/);
    expect(() => directlyStandardisedRate(vignetteStrata(), { multiplier: -5 })).toThrow(/multiplier/);
  });
});
