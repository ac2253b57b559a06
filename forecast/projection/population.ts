import { AGE_BANDS, type AgeBand } from '../../domain/age-bands.ts';
import { REGIONS, type RegionCode } from '../../domain/geography.ts';

/**
 * Population growth assumption. Each age band grows at `allAges * multiplier(band)` % a year:
 * the default headline +0.5%/yr gives +0.3%/yr under 65, +1.5% at 65-74, +2.0% at 75-84 and
 * +2.5% at 85+, the shape (not the figures) of ONS subnational projections, where the oldest
 * bands grow fastest. A stated planning assumption, editable per region, not an ONS projection.
 */
export const DEFAULT_POP_GROWTH_PCT = 0.5;

export const DEFAULT_REGION_POP_GROWTH_PCT: Record<RegionCode, number> = Object.fromEntries(
  REGIONS.map((r) => [r.code, DEFAULT_POP_GROWTH_PCT]),
) as Record<RegionCode, number>;

export function bandGrowthMultiplier(band: AgeBand): number {
  const min = AGE_BANDS.find((b) => b.band === band)!.min;
  if (min >= 85) return 5;
  if (min >= 75) return 4;
  if (min >= 65) return 3;
  return 0.6;
}

/** Annual growth rate (a fraction) of one band under a headline %/yr. */
export function bandGrowthRate(band: AgeBand, allAgesPct: number): number {
  return (allAgesPct * bandGrowthMultiplier(band)) / 100;
}

export interface PopulationCell { ageBand: AgeBand; sex: string; population: number }

/** Population of each cell `years` (fractional) after the base, compounding annually. */
export function projectCell(cell: PopulationCell, years: number, allAgesPct: number): number {
  return cell.population * (1 + bandGrowthRate(cell.ageBand, allAgesPct)) ** years;
}
