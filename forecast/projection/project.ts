import type { AgeBand } from '../../domain/age-bands.ts';
import { daysInMonth } from '../core/months.ts';
import { projectCell } from './population.ts';
import { avoidedShare, type Scheme } from './schemes.ts';

/**
 * Planning projection for one area and service (DESIGN 8):
 *   baseline       = base-year demand for the same calendar month (age/sex rates x base population)
 *   demographic    = sum over age/sex of rate x projected population (seasonal shape of the base year)
 *   nonDemographic = demographic x (1 + g)^years        (g: non-demographic growth, %/yr)
 *   avoided        = nonDemographic x avoided share      (what-if schemes)
 *   value          = nonDemographic - avoided
 *   bedDays        = value x mean length of stay          (admissions)
 *   beds           = bedDays / days in month / occupancy (default 92%)
 * Years are counted from the middle of the base year.
 */
export interface BaseCell { ageBand: AgeBand; sex: string; events: number; population: number }

export interface ProjectionInput {
  service: string;
  /** Base year: the last 12 months of data, by age band and sex (events over those months). */
  cells: readonly BaseCell[];
  /** Base-year events by calendar month (0-11), to keep the seasonal shape. */
  monthShare: readonly number[];
  /** First month index of the base year. */
  baseStart: number;
  months: readonly number[];
  popGrowthPct: number;
  nonDemGrowthPct: number;
  schemes: readonly Scheme[];
  /** Mean length of stay in days (bed days per admission), null when not an admission service. */
  meanLos: number | null;
  occupancy: number;
}

export interface ProjectedMonth {
  month: number;
  baseline: number;
  demographic: number;
  nonDemographic: number;
  avoided: number;
  value: number;
  bedDays?: number;
  beds?: number;
}

export const DEFAULT_OCCUPANCY = 0.92;

export function project(input: ProjectionInput): ProjectedMonth[] {
  const baseEvents = input.cells.reduce((s, c) => s + c.events, 0);
  const shareTotal = input.monthShare.reduce((a, b) => a + b, 0);
  const mid = input.baseStart + 5.5;
  return input.months.map((month) => {
    const years = (month - mid) / 12;
    const share = shareTotal > 0 ? input.monthShare[((month % 12) + 12) % 12]! / shareTotal : 1 / 12;
    let projectedAnnual = 0;
    for (const c of input.cells) {
      if (c.population <= 0) continue;
      const rate = c.events / c.population;
      projectedAnnual += rate * projectCell({ ageBand: c.ageBand, sex: c.sex, population: c.population }, years, input.popGrowthPct);
    }
    const baseline = baseEvents * share;
    const demographic = projectedAnnual * share + eventsWithoutPopulation(input.cells) * share;
    const nonDemographic = demographic * (1 + input.nonDemGrowthPct / 100) ** years;
    const avoided = nonDemographic * avoidedShare(input.schemes, input.service, month);
    const value = nonDemographic - avoided;
    const row: ProjectedMonth = { month, baseline, demographic, nonDemographic, avoided, value };
    if (input.meanLos !== null) {
      row.bedDays = value * input.meanLos;
      row.beds = row.bedDays / daysInMonth(month) / input.occupancy;
    }
    return row;
  });
}

/** Activity in cells with no registered population (rare) is carried without growth. */
function eventsWithoutPopulation(cells: readonly BaseCell[]): number {
  return cells.reduce((s, c) => s + (c.population > 0 ? 0 : c.events), 0);
}
