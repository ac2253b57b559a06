import type { Row } from '../../lib/arrow-decode.ts';
import { REGIONS } from '../../../domain/geography.ts';
import { SERVICES } from '../../../domain/services.ts';

export interface ServiceFigure {
  service: string;
  serviceName: string;
  rate: number | null;
  previousRate: number | null;
  /** Percentage change on the same window a year earlier; null when that is outside the data. */
  change: number | null;
}

export interface RegionFigures {
  code: string;
  name: string;
  /** Person-years in the window: the mean registered population over 12 months. */
  population: number | null;
  services: ServiceFigure[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Headline figures per region from `/api/demand?by=region&measure=crude_rate`, one table per
 * service for the window and (where the data reach) for the same window a year before.
 */
export function regionFigures(current: Record<string, Row[]>, previous: Record<string, Row[] | null>): RegionFigures[] {
  return REGIONS.map((region) => {
    let population: number | null = null;
    const services = SERVICES.map((s) => {
      const now = current[s.code]?.find((r) => r.region === region.code);
      const before = previous[s.code]?.find((r) => r.region === region.code);
      population ??= num(now?.population);
      const rate = num(now?.value);
      const previousRate = num(before?.value);
      const change = rate !== null && previousRate !== null && previousRate > 0 ? ((rate - previousRate) / previousRate) * 100 : null;
      return { service: s.code, serviceName: s.name, rate, previousRate, change };
    });
    return { code: region.code, name: region.name, population, services };
  });
}

/** Map colours: one rate per area from /api/compare rows, keyed by the GeoJSON `code`. */
export function mapRates(rows: Row[], level: 'region' | 'stp', rate: 'dsr' | 'crude'): Row[] {
  return rows
    .filter((r) => r.level === level)
    .map((r) => ({
      code: r.area_code,
      name: r.area_name,
      rate: rate === 'dsr' ? r.dsr : r.crude_rate,
      lo: rate === 'dsr' ? r.dsr_lo95 : r.crude_lo95,
      hi: rate === 'dsr' ? r.dsr_hi95 : r.crude_hi95,
      comparison: r.comparison,
    }));
}

/** Trend rows get readable names for the small multiples. */
export function trendRows(byService: Record<string, Row[]>): Row[] {
  const regionName = new Map<string, string>(REGIONS.map((r) => [r.code, r.name]));
  return SERVICES.flatMap((s) =>
    (byService[s.code] ?? []).map((r) => ({ service_name: s.name, region_name: regionName.get(String(r.region)) ?? String(r.region), month: r.month, value: r.value })),
  );
}
