import type { Row } from '../../lib/arrow-decode.ts';
import type { RateKind } from './compare-url.ts';

/** Shapes the /api/compare rows into what the charts draw; no statistics are computed here. */
export interface AreaPoint extends Row {
  label: string;
  area_code: string;
  area_name: string;
  level: string;
  rate: number | null;
  lo: number | null;
  hi: number | null;
  comparison: string;
  count: number | null;
  population: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function isArea(r: Row): boolean {
  return r.level === 'region' || r.level === 'stp';
}

/** Region rows and STP rows share names (Greater Manchester is both), so labels say which. */
export function areaPoints(rows: Row[], rate: RateKind): AreaPoint[] {
  return rows.filter(isArea).map((r) => {
    const level = String(r.level);
    const name = String(r.area_name ?? r.area_code);
    return {
      label: level === 'region' ? `${name} (region)` : name,
      area_code: String(r.area_code),
      area_name: name,
      level: level === 'region' ? 'Region' : 'STP',
      rate: num(rate === 'dsr' ? r.dsr : r.crude_rate),
      lo: num(rate === 'dsr' ? r.dsr_lo95 : r.crude_lo95),
      hi: num(rate === 'dsr' ? r.dsr_hi95 : r.crude_hi95),
      comparison: String(r.comparison ?? 'similar'),
      count: num(r.count),
      population: num(r.population),
    };
  });
}

/** Points with a rate to draw (a DSR is withheld under 10 events). */
export function drawable(points: AreaPoint[]): AreaPoint[] {
  return points.filter((p) => p.rate !== null);
}

/**
 * The benchmark the server compared against (all five regions together), from the Arrow schema
 * metadata it sends (`benchmark_dsr`, `benchmark_crude_rate`). Failing that, the crude benchmark is
 * the pooled rate of the five regions: pooling counts and person-years is exact for a crude rate,
 * not for a DSR, so no DSR benchmark is guessed.
 */
export function benchmarkRate(rows: Row[], meta: Record<string, string>, rate: RateKind): number | null {
  const sent = Number(rate === 'dsr' ? meta.benchmark_dsr : meta.benchmark_crude_rate);
  if ((rate === 'dsr' ? meta.benchmark_dsr : meta.benchmark_crude_rate) !== undefined && Number.isFinite(sent)) return sent;
  if (rate === 'dsr') return null;
  let count = 0;
  let population = 0;
  for (const r of rows) {
    if (r.level !== 'region') continue;
    count += num(r.count) ?? 0;
    population += num(r.population) ?? 0;
  }
  return population > 0 ? (count / population) * 1000 : null;
}

/** The server draws funnels around the benchmark DSR, or the crude rate when there is no DSR. */
export function funnelRate(meta: Record<string, string>): RateKind {
  return meta.benchmark_dsr !== undefined && Number.isFinite(Number(meta.benchmark_dsr)) ? 'dsr' : 'crude';
}

/** Funnel control limits from the server, one per area, ordered by population for the lines. */
export function funnelLimits(rows: Row[]): Row[] {
  return rows
    .filter((r) => isArea(r) && num(r.population) !== null && num(r.funnel_lo95) !== null)
    .map((r) => ({ population: r.population, lo95: r.funnel_lo95, hi95: r.funnel_hi95, lo998: r.funnel_lo998, hi998: r.funnel_hi998 }))
    .sort((a, b) => Number(a.population) - Number(b.population));
}

export function decilePoints(rows: Row[], rate: RateKind): Row[] {
  return rows
    .map((r) => ({
      imd_decile: num(r.imd_decile),
      rate: num(rate === 'dsr' ? r.dsr : r.crude_rate),
      lo: num(rate === 'dsr' ? r.dsr_lo95 : r.crude_lo95),
      hi: num(rate === 'dsr' ? r.dsr_hi95 : r.crude_hi95),
      count: num(r.count),
      population: num(r.population),
    }))
    .filter((r) => r.imd_decile !== null && r.rate !== null)
    .sort((a, b) => Number(a.imd_decile) - Number(b.imd_decile));
}
