/**
 * Pieces shared by the views' spec builders. Months arrive as `YYYY-MM` text; every temporal
 * encoding uses a UTC time unit so a browser west of Greenwich never shows the previous month.
 */
export const RATE_UNIT = 'per 1,000 population per year';
const SHORT_RATE_UNIT = 'per 1,000 per year';

export interface ChartSize {
  /** Narrow screens (under ~600 px): shorter labels, fewer ticks. */
  compact: boolean;
}

export function monthX(title = 'Month', compact = false) {
  return {
    field: 'month',
    type: 'temporal' as const,
    timeUnit: 'utcyearmonth' as const,
    title,
    // Year ticks on small charts: a monthly tick count would repeat the same year label.
    axis: compact
      ? { format: '%Y', labelAngle: 0, tickCount: { interval: 'year' as const, step: 1 }, labelOverlap: true as const }
      : { format: '%b %Y', labelAngle: 0, tickCount: 8, labelOverlap: true as const },
  };
}

export function monthTooltip(title = 'Month') {
  return { field: 'month', type: 'temporal' as const, timeUnit: 'utcyearmonth' as const, title, format: '%b %Y' };
}

export function numberTooltip(field: string, title: string, format = ',.1f') {
  return { field, type: 'quantitative' as const, title, format };
}

/** A title with its unit; on a phone, on two lines so it is not cut off. */
export function withUnit(title: string, compact: boolean, unit = RATE_UNIT): string | string[] {
  return compact ? [title, `(${unit.replace(RATE_UNIT, SHORT_RATE_UNIT)})`] : `${title} (${unit})`;
}

/** Long area names are cut on a phone; the full name stays in the tooltip and table. */
export function labelLimit(compact: boolean): number {
  return compact ? 130 : 240;
}
