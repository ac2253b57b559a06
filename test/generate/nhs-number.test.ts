import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsCheckDigit } from '../../domain/nhs-number.ts';
import { NhsNumberSequence, testRangeCapacity } from '../../pipelines/generate/nhs-number-sequence.ts';

describe('NHS number modulus 11', () => {
  it('accepts the NHS Digital worked example and rejects it with a wrong check digit', () => {
    // 9434765919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it('rejects every number whose check digit would be 10', () => {
    // 000000006: 6*2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which is never issued.
    expect(nhsCheckDigit('000000006')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`000000006${d}`)).toBe(false);
  });

  it('maps a remainder of 0 to check digit 0 and rejects malformed input', () => {
    // 200000000: 2*10 = 20; 20 mod 11 = 9; 11 - 9 = 2.
    expect(nhsCheckDigit('200000000')).toBe(2);
    // 000000000: sum 0 -> 11 -> 0
    expect(isValidNhsNumber('0000000000')).toBe(true);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943476591X')).toBe(false);
  });
});

describe('NHS number sequence', () => {
  it('starts in the 999 test range with the hand-computed first number', () => {
    // 999000001: 9*10 + 9*9 + 9*8 + 1*2 = 245; 245 mod 11 = 3; check 8. (999000000 gives 243 -> 1 -> 10: skipped.)
    const seq = new NhsNumberSequence(10);
    expect(seq.next()).toBe('9990000018');
  });

  it('gives valid, distinct numbers, and the wide 9-range once the test range is too small', () => {
    const seq = new NhsNumberSequence(50_000);
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const n = seq.next();
      expect(isValidNhsNumber(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(50_000);
    expect(testRangeCapacity()).toBeGreaterThan(900_000);
    expect(testRangeCapacity()).toBeLessThan(1_000_000);
    const wide = new NhsNumberSequence(testRangeCapacity() + 1).next();
    expect(wide.startsWith('900')).toBe(true);
    expect(isValidNhsNumber(wide)).toBe(true);
  });
});
