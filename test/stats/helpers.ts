import { expect } from 'vitest';

/** |actual / expected - 1| <= rel (or |actual| <= rel when expected is 0). */
export function expectRel(actual: number, expected: number, rel: number): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual / expected - 1);
  expect(err, `actual ${actual} vs expected ${expected} (relative error ${err})`).toBeLessThanOrEqual(rel);
}

/**
 * A value printed by a publication (R console, table) to a fixed number of decimals: equal to
 * within half a unit in the last printed place (plus a hair for binary rounding).
 */
export function expectPrinted(actual: number, printed: string): void {
  const decimals = printed.includes('.') ? printed.split('.')[1]!.length : 0;
  const halfUnit = 0.5 * 10 ** -decimals;
  const expected = Number(printed);
  expect(
    Math.abs(actual - expected),
    `actual ${actual} vs printed ${printed} (allowed ±${halfUnit})`,
  ).toBeLessThanOrEqual(halfUnit * (1 + 1e-9));
}
