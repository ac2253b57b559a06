import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCLOSURE_CONFIG,
  derivedFromPublished,
  dsrPublishable,
  isPrimarySuppressed,
  parseDisclosureConfig,
  percentOf,
  PRIMARY,
  roundToBase,
  SECONDARY,
  SHOWN,
} from '../../server/disclosure/index.ts';

const cfg = DEFAULT_DISCLOSURE_CONFIG;

describe('configuration', () => {
  it('defaults to the NHS Digital HES/ECDS rules', () => {
    expect(cfg).toEqual({ suppressFrom: 1, suppressTo: 7, roundTo: 5, dsrMinEvents: 10 });
  });

  it('rejects settings that would publish a count of 1, naming the field', () => {
    expect(() => parseDisclosureConfig({ suppressFrom: 2 })).toThrow(/suppressFrom/);
    expect(() => parseDisclosureConfig({ suppressTo: 0 })).toThrow(/suppressTo/);
    expect(() => parseDisclosureConfig({ roundTo: 'five' })).toThrow(/roundTo/);
    expect(() => parseDisclosureConfig({ rounding: 5 })).toThrow();
  });

  it('accepts a stricter configuration', () => {
    expect(parseDisclosureConfig({ suppressTo: 10, roundTo: 10 })).toEqual({ suppressFrom: 1, suppressTo: 10, roundTo: 10, dsrMinEvents: 10 });
  });
});

describe('primary suppression and rounding', () => {
  it('withholds 1-7, keeps a true 0 and shows 8 and more', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => isPrimarySuppressed(n, cfg))).toEqual([
      false, true, true, true, true, true, true, true, false, false,
    ]);
  });

  it('rounds to the nearest 5: 8->10, 12->10, 13->15, 22->20, 23->25, 0->0', () => {
    expect([8, 12, 13, 22, 23, 0, 1000, 1002, 1003].map((n) => roundToBase(n, 5))).toEqual([10, 10, 15, 20, 25, 0, 1000, 1000, 1005]);
  });

  it('rounds halves upwards (fractional person-years)', () => {
    expect(roundToBase(7.5, 5)).toBe(10);
    expect(roundToBase(12.49, 5)).toBe(10);
  });

  it('withholds values that would print inside the band or as a false zero after rounding', () => {
    // 7.4 person-years rounds to 5: inside 1-7, so withheld.
    expect(isPrimarySuppressed(7.4, cfg)).toBe(true);
    // Stricter band 1-10 with base 5: 11 would print as 10.
    expect(isPrimarySuppressed(11, { ...cfg, suppressTo: 10 })).toBe(true);
    expect(isPrimarySuppressed(13, { ...cfg, suppressTo: 10 })).toBe(false);
    // Base 20: 9 would print as 0, indistinguishable from a true zero.
    expect(isPrimarySuppressed(9, { ...cfg, roundTo: 20 })).toBe(true);
  });
});

describe('derived values', () => {
  it('computes rates and percentages from rounded values', () => {
    // 12 events -> 10, population 1,003 -> 1,005: 10 / 1005 * 1000 = 9.9502...
    const rate = derivedFromPublished(roundToBase(12, 5), roundToBase(1003, 5), (c, p) => (1000 * c) / p);
    expect(rate).toBeCloseTo(9.950249, 6);
    // 18 of 41 -> 20 of 40 = 50% (not 43.9%).
    expect(percentOf(roundToBase(18, 5), roundToBase(41, 5))).toBe(50);
  });

  it('withholds a rate whose count or denominator is withheld, and leaves it undefined over 0', () => {
    expect(derivedFromPublished(null, 1000, (c, p) => c / p)).toBeNull();
    expect(derivedFromPublished(10, null, (c, p) => c / p)).toBeNull();
    expect(derivedFromPublished(10, 0, (c, p) => c / p)).toBeNull();
    expect(derivedFromPublished(0, 100, (c, p) => c / p)).toBe(0);
  });

  it('publishes a DSR only at 10 or more events and never over a withheld count', () => {
    expect(dsrPublishable(9, SHOWN, cfg)).toBe(false);
    expect(dsrPublishable(10, SHOWN, cfg)).toBe(true);
    expect(dsrPublishable(50, SECONDARY, cfg)).toBe(false);
    expect(dsrPublishable(5, PRIMARY, cfg)).toBe(false);
  });
});
