import { stpsOfRegion, type RegionCode } from '../domain/geography.ts';
import { forecastSeries, type ForecastPoint, type ForecastRequest, type SeriesForecast } from './forecast-series.ts';
import { reconcileTwoLevel, type BandedForecast } from './projection/reconcile.ts';

/**
 * A region and its STPs for one service: zero-filled monthly series, forecast one by one, then
 * reconciled so the STP forecasts add up to the region's (coherent, DESIGN 8).
 */
export interface MonthlyCell { stp: string; month: number; events: number }

export interface FamilySeries { start: number; region: number[]; stps: Map<string, number[]> }

/** Zero-fills every STP over months start..end (a month without rollup rows had no activity). */
export function buildFamily(region: RegionCode, cells: readonly MonthlyCell[], start: number, end: number): FamilySeries {
  const n = end - start + 1;
  const codes = new Set(stpsOfRegion(region).map((s) => s.code));
  for (const c of cells) codes.add(c.stp);
  const stps = new Map<string, number[]>([...codes].sort().map((c) => [c, new Array<number>(n).fill(0)]));
  for (const c of cells) {
    const i = c.month - start;
    if (i >= 0 && i < n) stps.get(c.stp)![i]! += c.events;
  }
  const regionSeries = new Array<number>(n).fill(0);
  for (const s of stps.values()) for (let i = 0; i < n; i++) regionSeries[i]! += s[i]!;
  return { start, region: regionSeries, stps };
}

export interface FamilyForecast { region: SeriesForecast; stps: Map<string, SeriesForecast> }

type Options = Omit<ForecastRequest, 'periods' | 'values'>;

const toBands = (f: ForecastPoint[]): BandedForecast => ({
  value: f.map((p) => p.value), lo80: f.map((p) => p.lo80), hi80: f.map((p) => p.hi80), lo95: f.map((p) => p.lo95), hi95: f.map((p) => p.hi95),
});

const fromBands = (orig: ForecastPoint[], b: BandedForecast): ForecastPoint[] =>
  orig.map((p, i) => ({ ...p, value: b.value[i]!, lo80: Math.max(0, b.lo80[i]!), hi80: b.hi80[i]!, lo95: Math.max(0, b.lo95[i]!), hi95: b.hi95[i]! }));

export function forecastFamily(family: FamilySeries, options: Options): FamilyForecast {
  const periods = family.region.map((_, i) => family.start + i);
  const one = (values: number[]): SeriesForecast => forecastSeries({ ...options, periods, values, monthly: true });
  const region = one(family.region);
  const stps = new Map([...family.stps].map(([code, values]) => [code, one(values)]));
  const rec = reconcileTwoLevel(toBands(region.forecast), [...stps.values()].map((s) => toBands(s.forecast)));
  const codes = [...stps.keys()];
  codes.forEach((code, i) => {
    const s = stps.get(code)!;
    s.forecast = fromBands(s.forecast, rec.stps[i]!);
  });
  region.forecast = fromBands(region.forecast, rec.region);
  return { region, stps };
}
