import type { RegionCode } from '../../domain/geography.ts';
import type { AgeBand } from '../../domain/age-bands.ts';
import { serviceHasBedDays } from '../../domain/services.ts';
import { formatMonth, parseMonth } from '../core/months.ts';
import { buildFamily, forecastFamily, type FamilyForecast, type MonthlyCell } from '../family.ts';
import { project, type BaseCell, type ProjectedMonth } from '../projection/project.ts';
import { describeScheme } from '../projection/schemes.ts';
import type { ForecastParams } from './params.ts';

/**
 * The JSON the dashboard needs for one series in one call: history, fitted values, the
 * (reconciled) forecast with intervals, the backtest, the COVID treatment and the scenario.
 * Data access is passed in, so this runs against the server's query layer or a test double.
 */
export interface ForecastData {
  /** Warehouse period, 'YYYY-MM'. */
  period: { from: string; to: string };
  familyCells(region: string, service: string): Promise<MonthlyCell[]>;
  /** By STP: a region's rows are those of its STPs. */
  baseYear(level: string, area: string, service: string, from: string, to: string): Promise<(BaseCell & { stp: string; bedDays: number })[]>;
  baseMonths(level: string, area: string, service: string, from: string, to: string): Promise<{ stp: string; month: number; events: number }[]>;
}

const round = (v: number, d = 4): number => Math.round(v * 10 ** d) / 10 ** d;

/** Family forecasts are the expensive part; scenarios vary per request and are cheap. */
export class FamilyCache {
  private readonly map = new Map<string, Promise<FamilyForecast>>();
  constructor(private readonly max = 64) {}
  get(key: string, make: () => Promise<FamilyForecast>): Promise<FamilyForecast> {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const p = make();
    p.catch(() => this.map.delete(key));
    this.map.set(key, p);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return p;
  }
}

export async function forecastResponse(p: ForecastParams, data: ForecastData, cache: FamilyCache) {
  const start = parseMonth(data.period.from)!;
  const end = parseMonth(data.period.to)!;
  const covidKey = p.covid ? `${p.covid.from}-${p.covid.to}` : 'none';
  const fam = await cache.get(`${p.region}|${p.service}|${p.horizon}|${p.method}|${covidKey}|${start}|${end}`, async () =>
    forecastFamily(buildFamily(p.region as RegionCode, await data.familyCells(p.region, p.service), start, end), { horizon: p.horizon, method: p.method, covid: p.covid }));
  const f = p.level === 'region' ? fam.region : fam.stps.get(p.area);
  if (!f) throw new Error(`no series for ${p.area}`);

  const baseFrom = formatMonth(Math.max(start, end - 11));
  // Coherent scenarios: a region's projection is the sum of its STPs' (each with its own age mix,
  // seasonal shape and length of stay), as its forecast is the sum of theirs.
  const [cells, baseMonths] = await Promise.all([
    data.baseYear(p.level, p.area, p.service, baseFrom, data.period.to),
    data.baseMonths(p.level, p.area, p.service, baseFrom, data.period.to),
  ]);
  const stps = [...new Set([...cells.map((c) => c.stp), ...baseMonths.map((m) => m.stp)])].sort();
  const months = f.forecast.map((x) => x.period);
  const parts = (stps.length ? stps : [p.area]).map((stp) =>
    projectArea(p, cells.filter((c) => c.stp === stp), baseMonths.filter((m) => m.stp === stp), baseFrom, months));
  const projected = sumProjections(parts.map((x) => x.projected));
  const events = parts.reduce((t, x) => t + x.events, 0);
  const bedDays = parts.reduce((t, x) => t + x.bedDays, 0);
  const meanLos = serviceHasBedDays(p.service) && events > 0 ? bedDays / events : null;

  return {
    series: { level: p.level, area: p.area, region: p.region, service: p.service },
    method: f.method,
    methodDetail: f.detail,
    reconciled: 'OLS two-level: the STP forecasts add up to the region forecast',
    history: f.history.map((h) => ({ month: formatMonth(h.period), value: h.value, used: round(h.used), flag: h.flag })),
    fitted: f.fitted.map((x) => ({ month: formatMonth(x.period), value: round(x.value) })),
    forecast: f.forecast.map((x) => ({ month: formatMonth(x.period), value: round(x.value), lo80: round(x.lo80), hi80: round(x.hi80), lo95: round(x.lo95), hi95: round(x.hi95) })),
    backtest: f.backtest
      ? {
        horizon: f.backtest.horizon,
        origins: f.backtest.origins.map((o) => formatMonth(f.history[0]!.period + o)),
        byHorizon: f.backtest.byHorizon,
        summary: f.backtest.summary,
        candidates: f.candidates,
      }
      : null,
    covid: f.covid ? { from: formatMonth(f.covid.from), to: formatMonth(f.covid.to), months: f.covid.months, handling: f.covid.handling } : null,
    missingMonths: f.missingPeriods.map(formatMonth),
    scenario: {
      params: {
        popGrowthPct: p.popGrowthPct,
        nonDemGrowthPct: p.nonDemGrowthPct,
        occupancy: p.occupancy,
        schemes: p.schemes.map(describeScheme),
        baseYear: { from: baseFrom, to: data.period.to },
        meanLosDays: meanLos === null ? null : round(meanLos),
        populationAssumption: 'age band growth = popGrowth x (0.6 under 65, 3 at 65-74, 4 at 75-84, 5 at 85+) %/yr',
      },
      projected: projected.map((r) => ({
        month: formatMonth(r.month),
        baseline: round(r.baseline), demographic: round(r.demographic), nonDemographic: round(r.nonDemographic),
        avoided: round(r.avoided), value: round(r.value),
        ...(r.bedDays === undefined ? {} : { bedDays: round(r.bedDays), beds: round(r.beds!) }),
      })),
    },
  };
}

export type ForecastResponse = Awaited<ReturnType<typeof forecastResponse>>;

/** One STP's planning projection from its base year (the last 12 months of data). */
function projectArea(p: ForecastParams, cells: readonly (BaseCell & { bedDays: number })[], baseMonths: readonly { month: number; events: number }[], baseFrom: string, months: number[]) {
  const monthShare = new Array<number>(12).fill(0);
  for (const m of baseMonths) monthShare[m.month % 12]! += m.events;
  const events = cells.reduce((s, c) => s + c.events, 0);
  const bedDays = cells.reduce((s, c) => s + c.bedDays, 0);
  const projected = project({
    service: p.service,
    cells: cells.map((c) => ({ ageBand: c.ageBand as AgeBand, sex: c.sex, events: c.events, population: c.population })),
    monthShare,
    baseStart: parseMonth(baseFrom)!,
    months,
    popGrowthPct: p.popGrowthPct,
    nonDemGrowthPct: p.nonDemGrowthPct,
    schemes: p.schemes,
    meanLos: serviceHasBedDays(p.service) && events > 0 ? bedDays / events : null,
    occupancy: p.occupancy,
  });
  return { projected, events, bedDays };
}

/** Month by month sums of projections over the same months (bed days and beds where any part has them). */
function sumProjections(parts: readonly ProjectedMonth[][]): ProjectedMonth[] {
  return parts[0]!.map((first, i) => {
    const rows = parts.map((x) => x[i]!);
    const add = (k: 'baseline' | 'demographic' | 'nonDemographic' | 'avoided' | 'value') => rows.reduce((t, r) => t + r[k], 0);
    const row: ProjectedMonth = { month: first.month, baseline: add('baseline'), demographic: add('demographic'), nonDemographic: add('nonDemographic'), avoided: add('avoided'), value: add('value') };
    if (rows.some((r) => r.bedDays !== undefined)) {
      row.bedDays = rows.reduce((t, r) => t + (r.bedDays ?? 0), 0);
      row.beds = rows.reduce((t, r) => t + (r.beds ?? 0), 0);
    }
    return row;
  });
}
