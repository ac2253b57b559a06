/**
 * Poisson count CIs and crude rates.
 *
 * Sources:
 * - PHEindicatormethods vignette "Introduction to PHEindicatormethods" (CRAN build 2020-06-23,
 *   cran/PHEindicatormethods inst/doc/Introduction_to_PHEindicatormethods.html): the printed
 *   `df` (obs, pop) and `phe_rate(df, obs, pop)` / `phe_rate(..., confidence = 99.8,
 *   multiplier = 100)` outputs. All counts there are >= 10, so they exercise Byar's method.
 * - Exact (Garwood 1936) limits, lower = qchisq(alpha/2, 2O)/2, upper = qchisq(1 - alpha/2,
 *   2O + 2)/2: the standard 95% table (0-3.689, 1: 0.0253-5.572, 2: 0.242-7.225, ...,
 *   9: 4.115-17.085; e.g. epitools::pois.exact documents 3.689 for x = 0); the full-precision
 *   figures are SciPy 1.17.1 chi2.ppf values, an implementation independent of ours.
 * - Byar for O = 34: worked by hand from the formula below (no published example found with
 *   more digits than the vignette's).
 */
import { describe, expect, it } from 'vitest';
import {
  byarsLower,
  byarsUpper,
  crudeRate,
  exactLower,
  exactUpper,
  poissonCountCI,
} from '../../server/stats/index.ts';
import { expectPrinted, expectRel } from './helpers.ts';

// [obs, pop, value, lower95, upper95 (per 100,000), value, lower99.8, upper99.8 (per 100)]
const VIGNETTE_RATES: [number, number, string, string, string, string, string, string][] = [
  [92, 168, '54761.90', '44144.645', '67161.31', '54.76190', '38.787820', '74.81532'],
  [28, 137, '20437.96', '13577.873', '29539.64', '20.43796', '10.517905', '35.44235'],
  [44, 182, '24175.82', '17564.489', '32455.70', '24.17582', '14.441203', '37.71066'],
  [97, 110, '88181.82', '71507.769', '107575.39', '88.18182', '63.063667', '119.52675'],
  [59, 127, '46456.69', '35362.950', '59926.80', '46.45669', '29.964550', '68.37318'],
  [23, 172, '13372.09', '8474.053', '20065.59', '13.37209', '6.355108', '24.45284'],
  [80, 135, '59259.26', '46987.312', '73754.19', '59.25926', '40.859655', '82.74312'],
  [26, 103, '25242.72', '16485.200', '36987.90', '25.24272', '12.621892', '44.63484'],
];

describe('crudeRate against the PHEindicatormethods vignette (Byar)', () => {
  it.each(VIGNETTE_RATES)('obs %d, pop %d: 95%% per 100,000', (obs, pop, v, lo, hi) => {
    const r = crudeRate(obs, pop, { multiplier: 100_000, confidence: 0.95 });
    expectPrinted(r.value, v);
    expectPrinted(r.lo, lo);
    expectPrinted(r.hi, hi);
  });

  it.each(VIGNETTE_RATES)('obs %d, pop %d: 99.8%% per 100', (obs, pop, _v, _lo, _hi, v, lo, hi) => {
    const r = crudeRate(obs, pop, { multiplier: 100, confidence: 0.998 });
    expectPrinted(r.value, v);
    expectPrinted(r.lo, lo);
    expectPrinted(r.hi, hi);
  });
});

describe("Byar's method worked by hand for O = 34", () => {
  // z = qnorm(0.975) = 1.959963984540054
  // lower: 1/(9*34) = 0.0032679738562; 3*sqrt(34) = 17.4928556845; z/17.4928556845 = 0.1120436834
  //        base = 1 - 0.0032679738562 - 0.1120436834 = 0.8846883427; base^3 = 0.6924220895
  //        O_lo = 34 * 0.6924220895 = 23.54235104
  // upper: O+1 = 35; 1/315 = 0.0031746032; 3*sqrt(35) = 17.7482393493; z/17.7482393493 = 0.1104314600
  //        base = 1 - 0.0031746032 + 0.1104314600 = 1.1072568569; base^3 = 1.3575165571
  //        O_hi = 35 * 1.3575165571 = 47.51307950
  it('95%: 23.54235 to 47.51308', () => {
    expectRel(byarsLower(34), 23.54235104, 1e-9);
    expectRel(byarsUpper(34), 47.5130795, 1e-9);
    expect(poissonCountCI(34)).toEqual({ lo: byarsLower(34), hi: byarsUpper(34) });
  });

  // Same steps with z = qnorm(0.999) = 3.090232306167813:
  // lower base = 1 - 0.0032679739 - 3.0902323062/17.4928556845 (= 0.1766568228) = 0.8200752034,
  //   cubed 0.5515197142, O_lo = 18.75167028; upper base = 1 - 0.0031746032 + 0.1741148654
  //   = 1.1709402623, cubed 1.6054774791, O_hi = 56.19171177.
  it('99.8%: 18.75167 to 56.19171', () => {
    const ci = poissonCountCI(34, 0.998);
    expectRel(ci.lo, 18.75167028, 1e-9);
    expectRel(ci.hi, 56.19171177, 1e-9);
  });
});

describe('exact limits below 10 events', () => {
  // O, lower 95%, upper 95%  (printed table: 3 decimals; full digits: SciPy chi2.ppf)
  const EXACT_95: [number, number, number, string, string][] = [
    [0, 0, 3.6888794541139354, '0.000', '3.689'],
    [1, 0.025317807984289876, 5.571643390938898, '0.025', '5.572'],
    [2, 0.24220927854396496, 7.22468766772396, '0.242', '7.225'],
    [3, 0.6186721228956014, 8.767273069742323, '0.619', '8.767'],
    [4, 1.0898653736263249, 10.241588675403694, '1.090', '10.242'],
    [5, 1.6234863901184207, 11.66833207932267, '1.623', '11.668'],
    [6, 2.2018942534908508, 13.059474022518685, '2.202', '13.059'],
    [7, 2.8143630515198654, 14.422675361702376, '2.814', '14.423'],
    [8, 3.4538321767485014, 15.763189220193313, '3.454', '15.763'],
    [9, 4.115373097378334, 17.084803451419166, '4.115', '17.085'],
  ];
  it.each(EXACT_95)('O = %d at 95%%', (o, lo, hi, loTable, hiTable) => {
    const ci = poissonCountCI(o);
    expectPrinted(ci.lo, loTable);
    expectPrinted(ci.hi, hiTable);
    if (lo === 0) expect(ci.lo).toBe(0);
    else expectRel(ci.lo, lo, 1e-10);
    expectRel(ci.hi, hi, 1e-10);
  });

  it.each([
    [0, 0, 6.907755278982137],
    [1, 0.001000500333583534, 9.233413476451585],
    [5, 0.7393717319178323, 16.454745203680105],
    [9, 2.452424404363775, 22.65737330906293],
  ])('O = %d at 99.8%%', (o, lo, hi) => {
    const ci = poissonCountCI(o, 0.998);
    if (lo === 0) expect(ci.lo).toBe(0);
    else expectRel(ci.lo, lo, 1e-10);
    expectRel(ci.hi, hi, 1e-10);
  });

  it('O = 0 upper is -ln(alpha/2) (closed form of qchisq(1 - alpha/2, 2)/2)', () => {
    expectRel(exactUpper(0), -Math.log(0.025), 1e-13);
    expectRel(exactUpper(0, 0.998), -Math.log(0.001), 1e-13);
  });
});

describe('the 9 / 10 boundary (PHE practice)', () => {
  it('9 events use the exact method, 10 use Byar', () => {
    expect(poissonCountCI(9)).toEqual({ lo: exactLower(9), hi: exactUpper(9) });
    expect(poissonCountCI(10)).toEqual({ lo: byarsLower(10), hi: byarsUpper(10) });
    // Exact 10 would be 4.795389 to 18.390356; Byar gives 4.787450 to 18.391459, so the switch is visible.
    expectRel(poissonCountCI(10).lo, 4.787449913967564, 1e-10);
    expectRel(exactLower(10), 4.7953886961324335, 1e-10);
  });
});

describe('crude rate conventions and edge cases', () => {
  it('defaults to per 1,000 at 95%', () => {
    const r = crudeRate(92, 168);
    expectPrinted(r.value, '547.6190');
    expectPrinted(r.lo, '441.44645');
    expectPrinted(r.hi, '671.6131');
  });

  it('count 0 gives rate 0, lower 0 and upper 3.689 / population', () => {
    const r = crudeRate(0, 2000);
    expect(r.value).toBe(0);
    expect(r.lo).toBe(0);
    expectRel(r.hi, (3.6888794541139354 / 2000) * 1000, 1e-12);
  });

  it('a tiny population gives a huge but finite rate', () => {
    const r = crudeRate(3, 0.5, { multiplier: 1000 });
    expect(r.value).toBe(6000);
    expectRel(r.lo, (0.6186721228956014 / 0.5) * 1000, 1e-10);
    expectRel(r.hi, (8.767273069742323 / 0.5) * 1000, 1e-10);
  });

  it.each([
    [() => crudeRate(-1, 100), /count must be >= 0/],
    [() => crudeRate(5, 0), /population must be > 0/],
    [() => crudeRate(5, -10), /population must be > 0/],
    [() => crudeRate(NaN, 100), /count must be a finite number/],
    [() => crudeRate(5, Infinity), /population must be a finite number/],
    [() => crudeRate(5, 100, { multiplier: 0 }), /multiplier must be > 0/],
    [() => crudeRate(5, 100, { confidence: 95 }), /confidence must be between 0 and 1/],
    [() => poissonCountCI(5, 1), /confidence/],
    [() => poissonCountCI(-0.5), /count must be >= 0/],
  ])('rejects bad input %#', (fn, message) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(message);
  });
});
