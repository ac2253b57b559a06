import type { Row } from '../../lib/arrow-decode.ts';
import { addMonths } from '../../lib/format.ts';
import type { ForecastModel, ScenarioPoint } from './forecast-model.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The shaded COVID-19 band: from its first month to the month after its last, so the last is covered. */
export function covidRows(m: ForecastModel | undefined): { from: string; to: string; label: string }[] {
  if (!m?.covid) return [];
  return [{ from: m.covid.from, to: addMonths(m.covid.to, 1), label: 'COVID-19 months' }];
}

function daysIn(month: string): number {
  const [y, mm] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, mm, 0)).getUTCDate();
}

/**
 * Beds for the chart: observed months from /api/demand bed days (beds = bed days / days in the
 * month / occupancy, the same definition the projection uses), then the scenario's projection
 * as the server computed it.
 */
export function bedRows(observed: Row[], scenario: ScenarioPoint[], occupancyPct: number): Row[] {
  const occ = occupancyPct / 100;
  const past = observed
    .map((r) => ({ month: String(r.month ?? ''), bedDays: num(r.value) }))
    .filter((r) => /^\d{4}-\d{2}$/.test(r.month) && r.bedDays !== null)
    .map((r) => ({ month: r.month, series: 'Observed', bedDays: r.bedDays, beds: (r.bedDays as number) / daysIn(r.month) / occ }));
  const future = scenario
    .filter((p) => p.bedDays !== null || p.beds !== null)
    .map((p) => ({ month: p.month, series: 'Projected', bedDays: p.bedDays, beds: p.beds }));
  return [...past, ...future];
}

/** Breakdown rows from /api/demand?by=<dim>&measure=crude_rate. */
export function breakdownRows(rows: Row[], dim: 'age_band' | 'imd_decile'): Row[] {
  return rows
    .filter((r) => r[dim] !== null && r[dim] !== undefined)
    .map((r) => ({ category: String(r[dim]), rate: num(r.value), lo: num(r.lo95), hi: num(r.hi95), count: num(r.count), population: num(r.population) }));
}
