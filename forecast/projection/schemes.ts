import { formatMonth } from '../core/months.ts';

/**
 * What-if schemes that avoid demand (e.g. a falls service cutting emergency admissions by 5%):
 * nothing before `startMonth`, then a linear ramp to the full percentage over `rampMonths`
 * (0 = full effect at once). Several schemes on one service act on what the others leave:
 * avoided share = 1 - prod(1 - p_i * ramp_i).
 */
export interface Scheme { service: string; percent: number; startMonth: number; rampMonths: number }

export function rampFraction(scheme: Scheme, month: number): number {
  if (month < scheme.startMonth) return 0;
  if (scheme.rampMonths <= 0) return 1;
  return Math.min(1, (month - scheme.startMonth + 1) / scheme.rampMonths);
}

export function avoidedShare(schemes: readonly Scheme[], service: string, month: number): number {
  let kept = 1;
  for (const s of schemes) if (s.service === service) kept *= 1 - (s.percent / 100) * rampFraction(s, month);
  return 1 - kept;
}

export function describeScheme(s: Scheme): string {
  return `${s.service}:${s.percent}:${formatMonth(s.startMonth)}:${s.rampMonths}`;
}
