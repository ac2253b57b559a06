import { Float64, Int64, Int8, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { REGIONS, STPS } from '../../domain/geography.ts';
import type { AppContext } from '../context.ts';
import { compareWithBenchmark, funnelLimits } from '../stats/index.ts';
import { MULTIPLIER, areaRates, type AgeCell, type AreaRates } from './area-rates.ts';
import type { CompareRequest } from './params.ts';

export interface CompareResult {
  table: Table;
  benchmark: { dsr: number | null; crude: number | null };
}

function cellsOf(rows: Record<string, unknown>[]): (AgeCell & { region: string; stp: string })[] {
  return rows.map((r) => ({
    region: String(r.region ?? ''),
    stp: String(r.stp_code ?? ''),
    ageBand: String(r.age_band ?? ''),
    count: Number(r.count),
    personYears: Number(r.person_years),
  }));
}

const f64 = (xs: (number | null | undefined)[]) => vectorFromArray(xs.map((x) => x ?? null), new Float64());

/**
 * One row per region then per STP (those with a population), with the published column names.
 * Benchmark: all five regions together. Funnels are drawn around the benchmark DSR (crude when
 * the benchmark DSR is null) at each area's person-years; `comparison` uses the area's DSR 95% CI
 * against the benchmark DSR, or its crude CI against the benchmark crude rate when the DSR is null.
 */
export async function runCompareAreas(ctx: AppContext, r: CompareRequest): Promise<CompareResult> {
  const q = ctx.queries.prepare('compare/areas_by_age', { service: r.service, from: r.from, to: r.to });
  const cells = cellsOf(await ctx.db.queryRows(q.sql, q.params));
  const benchmark = areaRates(cells);
  const benchDsr = benchmark.dsr95?.value ?? null;
  const benchCrude = benchmark.crude?.value ?? null;

  const areas: { code: string; name: string; level: 'region' | 'stp'; rates: AreaRates }[] = [];
  for (const region of REGIONS) {
    if (r.region && region.code !== r.region) continue;
    const own = cells.filter((c) => c.region === region.code);
    if (own.some((c) => c.personYears > 0)) areas.push({ code: region.code, name: region.name, level: 'region', rates: areaRates(own) });
  }
  for (const stp of STPS) {
    if (r.region && stp.region !== r.region) continue;
    const own = cells.filter((c) => c.stp === stp.code);
    if (own.some((c) => c.personYears > 0)) areas.push({ code: stp.code, name: stp.name, level: 'stp', rates: areaRates(own) });
  }

  const funnelCentre = benchDsr ?? benchCrude;
  const funnel = (a: AreaRates, confidence: number) =>
    funnelCentre !== null && a.population > 0 ? funnelLimits(funnelCentre, a.population, { multiplier: MULTIPLIER, confidence }) : null;
  const comparison = (a: AreaRates): string | null => {
    if (a.dsr95 && benchDsr !== null) return compareWithBenchmark(a.dsr95, benchDsr);
    if (a.crude && benchCrude !== null) return compareWithBenchmark(a.crude, benchCrude);
    return null;
  };
  const f95 = areas.map((a) => funnel(a.rates, 0.95));
  const f998 = areas.map((a) => funnel(a.rates, 0.998));
  const table = new Table({
    area_code: vectorFromArray(areas.map((a) => a.code), new Utf8()),
    area_name: vectorFromArray(areas.map((a) => a.name), new Utf8()),
    level: vectorFromArray(areas.map((a) => a.level), new Utf8()),
    count: vectorFromArray(areas.map((a) => BigInt(a.rates.count)), new Int64()),
    population: f64(areas.map((a) => a.rates.population)),
    crude_rate: f64(areas.map((a) => a.rates.crude?.value)),
    crude_lo95: f64(areas.map((a) => a.rates.crude?.lo)),
    crude_hi95: f64(areas.map((a) => a.rates.crude?.hi)),
    dsr: f64(areas.map((a) => a.rates.dsr95?.value)),
    dsr_lo95: f64(areas.map((a) => a.rates.dsr95?.lo)),
    dsr_hi95: f64(areas.map((a) => a.rates.dsr95?.hi)),
    dsr_lo998: f64(areas.map((a) => a.rates.dsr998?.lo)),
    dsr_hi998: f64(areas.map((a) => a.rates.dsr998?.hi)),
    funnel_lo95: f64(f95.map((f) => f?.lo)),
    funnel_hi95: f64(f95.map((f) => f?.hi)),
    funnel_lo998: f64(f998.map((f) => f?.lo)),
    funnel_hi998: f64(f998.map((f) => f?.hi)),
    comparison: vectorFromArray(areas.map((a) => comparison(a.rates)), new Utf8()),
  });
  return { table, benchmark: { dsr: benchDsr, crude: benchCrude } };
}

/** The deprivation gradient: one row per IMD decile (all five regions, or one `region`). */
export async function runCompareImd(ctx: AppContext, r: CompareRequest): Promise<CompareResult> {
  const q = ctx.queries.prepare('compare/imd_by_age', { service: r.service, from: r.from, to: r.to, region: r.region });
  const rows = await ctx.db.queryRows(q.sql, q.params);
  const all = rows.map((row) => ({
    decile: row.imd_decile === null ? null : Number(row.imd_decile),
    ageBand: String(row.age_band ?? ''),
    count: Number(row.count),
    personYears: Number(row.person_years),
  }));
  const benchmark = areaRates(all);
  const deciles = [...new Set(all.map((c) => c.decile).filter((d): d is number => d !== null))].sort((a, b) => a - b);
  const rates = deciles.map((d) => areaRates(all.filter((c) => c.decile === d)));
  const table = new Table({
    imd_decile: vectorFromArray(deciles, new Int8()),
    count: vectorFromArray(rates.map((a) => BigInt(a.count)), new Int64()),
    population: f64(rates.map((a) => a.population)),
    crude_rate: f64(rates.map((a) => a.crude?.value)),
    crude_lo95: f64(rates.map((a) => a.crude?.lo)),
    crude_hi95: f64(rates.map((a) => a.crude?.hi)),
    dsr: f64(rates.map((a) => a.dsr95?.value)),
    dsr_lo95: f64(rates.map((a) => a.dsr95?.lo)),
    dsr_hi95: f64(rates.map((a) => a.dsr95?.hi)),
  });
  return { table, benchmark: { dsr: benchmark.dsr95?.value ?? null, crude: benchmark.crude?.value ?? null } };
}
