import { AGE_BANDS } from '../../domain/age-bands.ts';
import { crudeRate, directlyStandardisedRate, type Stratum } from '../stats/index.ts';

/** Rates per 1,000 person-years. */
export const MULTIPLIER = 1000;
const STANDARD = new Map<string, number>(AGE_BANDS.map((b) => [b.band, b.esp2013]));

export interface AgeCell {
  ageBand: string;
  count: number;
  personYears: number;
}

export interface AreaRates {
  count: number;
  population: number;
  crude: { value: number; lo: number; hi: number } | null;
  dsr95: { value: number; lo: number; hi: number } | null;
  dsr998: { value: number; lo: number; hi: number } | null;
}

/** Adds age cells into per-band totals (regions and the benchmark are sums of STPs). */
export function sumByBand(cells: Iterable<AgeCell>): AgeCell[] {
  const byBand = new Map<string, AgeCell>();
  for (const c of cells) {
    const t = byBand.get(c.ageBand) ?? { ageBand: c.ageBand, count: 0, personYears: 0 };
    t.count += c.count;
    t.personYears += c.personYears;
    byBand.set(c.ageBand, t);
  }
  return [...byBand.values()];
}

/**
 * Crude rate with Byar CI and ESP2013 DSR with Dobson 95% and 99.8% CIs (null below 10 events).
 * Bands with no population cannot carry a rate and are left out of the DSR (with the sample and
 * real data every band has people; the fixture shows the edge).
 */
export function areaRates(cells: AgeCell[]): AreaRates {
  const bands = sumByBand(cells);
  const count = bands.reduce((s, b) => s + b.count, 0);
  const population = bands.reduce((s, b) => s + b.personYears, 0);
  const strata: Stratum[] = bands
    .filter((b) => b.personYears > 0 && STANDARD.has(b.ageBand))
    .map((b) => ({ count: b.count, population: b.personYears, standard: STANDARD.get(b.ageBand)! }));
  const crude = population > 0 ? crudeRate(count, population, { multiplier: MULTIPLIER }) : null;
  const dsr = (confidence: number) =>
    strata.length ? directlyStandardisedRate(strata, { multiplier: MULTIPLIER, confidence }) : null;
  return { count, population, crude, dsr95: dsr(0.95), dsr998: dsr(0.998) };
}
