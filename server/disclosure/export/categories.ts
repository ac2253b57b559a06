import { AGE_BAND_CODES, SEXES } from '../../../domain/age-bands.ts';
import { REGIONS, STPS } from '../../../domain/geography.ts';
import type { ExportDimension, ExportRequest } from './request.ts';

/** Label of the margin position of every dimension in published tables. */
export const TOTAL_LABEL = 'Total';

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/**
 * Every category of a dimension over the requested window, in publication order. A table
 * always shows all of them (a category with no activity is a true 0), so the shape of the
 * output depends on the request only, never on the data.
 */
export function categoriesOf(dim: ExportDimension, r: Pick<ExportRequest, 'from' | 'to'>): string[] {
  switch (dim) {
    case 'region':
      return REGIONS.map((x) => x.code);
    case 'stp':
      return STPS.map((s) => s.code);
    case 'year': {
      const first = Number(r.from.slice(0, 4));
      const last = Number(r.to.slice(0, 4));
      return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
    }
    case 'month':
      return monthsBetween(r.from, r.to);
    case 'age_band':
      return [...AGE_BAND_CODES];
    case 'sex':
      return [...SEXES];
    case 'imd_decile':
      return Array.from({ length: 10 }, (_, i) => String(i + 1));
  }
}

export function monthsInWindow(r: Pick<ExportRequest, 'from' | 'to'>): string[] {
  return monthsBetween(r.from, r.to);
}

/** Published rows (cells and every margin) of a request: the product of (categories + 1). */
export function publishedRowCount(r: Pick<ExportRequest, 'from' | 'to' | 'by'>): number {
  return r.by.reduce((n, d) => n * (categoriesOf(d, r).length + 1), 1);
}
