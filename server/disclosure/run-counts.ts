import type { DisclosureConfig } from './config.ts';
import { isPrimarySuppressed, roundToBase } from './round.ts';

/**
 * The run's counts (records read/loaded/rejected by reason, table rows, opt-out figures) as a
 * researcher may see them. They are all-patient totals, opted-out patients included, and some are
 * small (a reject reason seen 3 times), so the research rules apply to every number in them: a
 * count of 1-7 becomes null (suppressed), every other count is rounded to the nearest 5; 0 stays 0.
 * Planners, commissioners and admins see the exact counts.
 */
export function researcherRunCounts(counts: Record<string, unknown> | null, config: DisclosureConfig): Record<string, unknown> | null {
  if (!counts) return null;
  return {
    ...(protect(counts, config) as Record<string, unknown>),
    disclosure: `research rules: counts of 1-${config.suppressTo} are null (suppressed), others rounded to the nearest ${config.roundTo}`,
  };
}

function protect(v: unknown, config: DisclosureConfig): unknown {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return null;
    return isPrimarySuppressed(v, config) ? null : roundToBase(v, config.roundTo);
  }
  if (Array.isArray(v)) return v.map((x) => protect(x, config));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, protect(x, config)]));
  return v;
}
