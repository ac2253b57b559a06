import type { DisclosureConfig } from './config.ts';

/** Nearest multiple of `base`, halves upwards (counts are non-negative, so this is unambiguous). */
export function roundToBase(value: number, base: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`cannot round ${value}`);
  return Math.floor(value / base + 0.5) * base;
}

/**
 * Whether a count must be withheld outright. Beyond the 1-7 band, anything that would be
 * *shown* inside the band after rounding is withheld too (e.g. 7.4 person-years, or 9 under a
 * base of 20 which would print as a false 0), so the published figures never fall in the band.
 */
export function isPrimarySuppressed(value: number, config: DisclosureConfig): boolean {
  if (value <= 0) return false;
  if (value <= config.suppressTo) return true;
  return roundToBase(value, config.roundTo) <= config.suppressTo;
}
