import { AGE_BANDS } from '../../../domain/age-bands.ts';
import { crudeRate, directlyStandardisedRate, poissonCountCI, type RateCI, type Stratum } from '../../stats/index.ts';
import type { DisclosureConfig } from '../config.ts';
import { gridLength, gridStrides, withAdditiveMargins } from '../grid.ts';
import { protectCounts, type ProtectedCounts } from '../protect.ts';
import { SHOWN } from '../suppress.ts';
import { TOTAL_LABEL } from './categories.ts';
import type { RawRow } from './query.ts';
import type { ExportDimension, Measure } from './request.ts';

/** Marks a value withheld by disclosure control (CSV `*`; null in Parquet and JSON). */
export const WITHHELD = '*';
export type Cell = string | number | boolean | null;

export interface ColumnSpec {
  name: string;
  kind: 'dimension' | 'count' | 'rate' | 'flag';
}

export interface PublishedTable {
  columns: ColumnSpec[];
  rows: Cell[][];
  /** Suppressed entries per count column, and in all. */
  suppression: { byColumn: Record<string, { primary: number; secondary: number }>; primary: number; secondary: number };
  /** Rates or DSRs withheld because their count was suppressed or below the DSR threshold. */
  withheldRates: number;
}

export interface TableInput {
  measure: Measure;
  dims: readonly ExportDimension[];
  categories: readonly (readonly string[])[];
  /** count/crude_rate: events per cell; patients: every cell and margin; dsr: by dims + age_band. */
  counts: RawRow[];
  /** crude_rate: person-years per cell; dsr: by dims + age_band. */
  personYears?: RawRow[];
}

/** Rates per 1,000 person-years, to 2 decimals (more would be false precision). */
const PER = 1000;
const round2 = (x: number) => Math.round(x * 100) / 100;

function indexer(categories: readonly (readonly string[])[]) {
  const maps = categories.map((c) => new Map(c.map((label, i) => [label, i])));
  const sizes = categories.map((c) => c.length);
  const strides = gridStrides(sizes);
  const interiorStrides = sizes.map((_, d) => sizes.slice(d + 1).reduce((n, s) => n * s, 1));
  const position = (key: readonly (string | null)[], d: number): number => {
    const v = key[d];
    if (v === null || v === undefined) return sizes[d]!;
    const i = maps[d]!.get(v);
    if (i === undefined) throw new Error(`unexpected category '${v}' for dimension ${d}`);
    return i;
  };
  return {
    sizes,
    grid: (key: readonly (string | null)[]) => key.reduce((n, _, d) => n + position(key, d) * strides[d]!, 0),
    interior: (key: readonly (string | null)[]) =>
      key.reduce((n, _, d) => {
        const p = position(key, d);
        if (p === sizes[d]) throw new Error('a total where a cell was expected');
        return n + p * interiorStrides[d]!;
      }, 0),
  };
}

function interiorCells(rows: RawRow[], categories: readonly (readonly string[])[]): number[] {
  const ix = indexer(categories);
  const cells = new Array<number>(ix.sizes.reduce((n, s) => n * s, 1)).fill(0);
  for (const r of rows) cells[ix.interior(r.key)]! += r.value;
  return cells;
}

function cubeGrid(rows: RawRow[], categories: readonly (readonly string[])[]): number[] {
  const ix = indexer(categories);
  const grid = new Array<number>(gridLength(ix.sizes)).fill(0);
  for (const r of rows) grid[ix.grid(r.key)] = r.value;
  return grid;
}

/** Splits rows keyed by dims + age_band into one interior array per ESP2013 band. */
function byAgeBand(rows: RawRow[], categories: readonly (readonly string[])[]): number[][] {
  return AGE_BANDS.map((b) =>
    interiorCells(
      rows.filter((r) => r.key.at(-1) === b.band).map((r) => ({ key: r.key.slice(0, -1), value: r.value })),
      categories,
    ),
  );
}

/**
 * DSR (PHEindicatormethods, via stats/) from the exact strata, but with the Dobson interval built
 * on the *published* total count. Dobson's limits are an invertible function of the total count,
 * so limits on the exact count would print the exact count beside its rounded value and undo
 * the rounding (and let overlapping requests be differenced). For 10+ events the published
 * count is within 2 of the exact one, so the interval moves by well under its own width.
 */
export function dsrWithPublishedCount(strata: Stratum[], publishedCount: number, minEvents: number): RateCI | null {
  const exact = directlyStandardisedRate(strata, { multiplier: PER, minCount: minEvents });
  if (exact === null || publishedCount <= 0) return null;
  const weightSum = strata.reduce((s, x) => s + x.standard, 0);
  const variance = strata.reduce((s, x) => s + x.count * (x.standard / x.population) ** 2, 0);
  const sd = Math.sqrt(variance / (weightSum * weightSum) / publishedCount);
  const ci = poissonCountCI(publishedCount);
  return { value: exact.value, lo: exact.value + sd * (ci.lo - publishedCount) * PER, hi: exact.value + sd * (ci.hi - publishedCount) * PER };
}

function published(p: ProtectedCounts, i: number): Cell {
  return p.values[i] === null ? WITHHELD : p.values[i]!;
}

/**
 * The research table: every cell and margin of the requested dimensions, counts under
 * disclosure control (../protect.ts), rates from the published (rounded) figures, DSRs from
 * exact strata but only at `dsrMinEvents` or more with the count shown. Pure: the same input
 * gives the same table.
 */
export function buildPublishedTable(input: TableInput, config: DisclosureConfig): PublishedTable {
  const { measure, dims, categories } = input;
  const sizes = categories.map((c) => c.length);
  const length = gridLength(sizes);
  const countName = measure === 'patients' ? 'patients' : 'count';
  const strides = gridStrides(sizes);
  const labels = (i: number) => dims.map((_, d) => {
    const c = Math.floor(i / strides[d]!) % (sizes[d]! + 1);
    return c === sizes[d] ? TOTAL_LABEL : categories[d]![c]!;
  });

  const dsrBands = measure === 'dsr' ? byAgeBand(input.counts, categories).map((cells) => withAdditiveMargins(sizes, cells)) : null;
  const dsrPopBands = measure === 'dsr' ? byAgeBand(input.personYears ?? [], categories).map((cells) => withAdditiveMargins(sizes, cells)) : null;
  const rawCounts =
    measure === 'patients'
      ? cubeGrid(input.counts, categories)
      : dsrBands
        ? Array.from({ length }, (_, i) => dsrBands.reduce((s, band) => s + band[i]!, 0))
        : withAdditiveMargins(sizes, interiorCells(input.counts, categories));
  const counts = protectCounts(sizes, rawCounts, config);

  const columns: ColumnSpec[] = dims.map((d) => ({ name: d, kind: 'dimension' }));
  const byColumn: PublishedTable['suppression']['byColumn'] = { [countName]: { primary: counts.primary, secondary: counts.secondary } };
  let withheldRates = 0;
  const rows: Cell[][] = [];

  if (measure === 'count' || measure === 'patients') {
    columns.push({ name: countName, kind: 'count' }, { name: `${countName}_suppressed`, kind: 'flag' });
    for (let i = 0; i < length; i++) rows.push([...labels(i), published(counts, i), counts.status[i] !== SHOWN]);
  } else {
    const rawPy = dsrPopBands
      ? Array.from({ length }, (_, i) => dsrPopBands.reduce((s, band) => s + band[i]!, 0))
      : withAdditiveMargins(sizes, interiorCells(input.personYears ?? [], categories));
    const py = protectCounts(sizes, rawPy, config);
    byColumn.person_years = { primary: py.primary, secondary: py.secondary };
    const rateName = measure === 'dsr' ? 'dsr' : 'crude_rate';
    columns.push(
      { name: 'count', kind: 'count' },
      { name: 'person_years', kind: 'count' },
      { name: rateName, kind: 'rate' },
      { name: 'lo95', kind: 'rate' },
      { name: 'hi95', kind: 'rate' },
      { name: 'count_suppressed', kind: 'flag' },
      { name: 'person_years_suppressed', kind: 'flag' },
    );
    for (let i = 0; i < length; i++) {
      const c = counts.values[i]!;
      const p = py.values[i]!;
      let rate: [Cell, Cell, Cell];
      if (c === null || p === null) {
        rate = [WITHHELD, WITHHELD, WITHHELD];
        withheldRates++;
      } else if (measure === 'crude_rate') {
        const r = p > 0 ? crudeRate(c, p, { multiplier: PER }) : null;
        rate = r ? [round2(r.value), round2(r.lo), round2(r.hi)] : [null, null, null];
      } else if (rawCounts[i]! < config.dsrMinEvents) {
        rate = [WITHHELD, WITHHELD, WITHHELD];
        withheldRates++;
      } else {
        const strata: Stratum[] = AGE_BANDS.flatMap((b, k) =>
          dsrPopBands![k]![i]! > 0 ? [{ count: dsrBands![k]![i]!, population: dsrPopBands![k]![i]!, standard: b.esp2013 }] : [],
        );
        const r = strata.length ? dsrWithPublishedCount(strata, c, config.dsrMinEvents) : null;
        rate = r ? [round2(r.value), round2(r.lo), round2(r.hi)] : [null, null, null];
      }
      rows.push([...labels(i), published(counts, i), published(py, i), ...rate, counts.status[i] !== SHOWN, py.status[i] !== SHOWN]);
    }
  }
  const all = Object.values(byColumn);
  return {
    columns,
    rows,
    suppression: { byColumn, primary: all.reduce((s, x) => s + x.primary, 0), secondary: all.reduce((s, x) => s + x.secondary, 0) },
    withheldRates,
  };
}
