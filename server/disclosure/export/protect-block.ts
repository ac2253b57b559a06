import { AGE_BANDS } from '../../../domain/age-bands.ts';
import type { DisclosureConfig } from '../config.ts';
import { gridLength, gridStrides, withAdditiveMargins } from '../grid.ts';
import { protectCounts, type ProtectedCounts } from '../protect.ts';
import { isPrimarySuppressed, roundToBase } from '../round.ts';
import { TOTAL_LABEL } from './categories.ts';
import type { RawRow } from './query.ts';
import type { ExportDimension, Measure } from './request.ts';

/** Raw inputs of one calendar-year block (blocks.ts), straight from the research queries. */
export interface BlockInput {
  measure: Measure;
  dims: readonly ExportDimension[];
  /** This block's categories of each dimension (months and year of the block only). */
  categories: readonly (readonly string[])[];
  /** Months the block covers (12, or fewer for the data period's first and last years). */
  months: number;
  /** count/crude_rate: events per cell; patients: every cell and margin; dsr: by dims + age_band. */
  counts: RawRow[];
  /**
   * crude_rate and dsr: the research population (registered at 1 July of the block's year) per
   * cell of the dimensions other than month and year; dsr: by those + age_band.
   */
  population?: RawRow[];
}

/** A grid over some dimensions with a label lookup (labels in dimension order, 'Total' for margins). */
export interface LabelledGrid {
  sizes: number[];
  index(labels: readonly string[]): number | undefined;
}

/** One block's protected figures, from which every published research figure is derived. */
export interface ProtectedBlock {
  months: number;
  grid: LabelledGrid;
  /** Positions (in `dims`) of the dimensions the population grid keeps. */
  popDims: number[];
  counts: ProtectedCounts;
  popGrid?: LabelledGrid;
  population?: ProtectedCounts;
  /** dsr: each age stratum's protected count per grid entry and protected population per pop entry. */
  strata?: { counts: number[][]; population: number[][] };
}

const TIME_DIMS: readonly ExportDimension[] = ['month', 'year'];

function labelledGrid(categories: readonly (readonly string[])[]): LabelledGrid {
  const sizes = categories.map((c) => c.length);
  const strides = gridStrides(sizes);
  const maps = categories.map((c) => new Map([...c.map((label, i) => [label, i] as const), [TOTAL_LABEL, c.length] as const]));
  return {
    sizes,
    index(labels) {
      let n = 0;
      for (let d = 0; d < sizes.length; d++) {
        const p = maps[d]!.get(labels[d]!);
        if (p === undefined) return undefined;
        n += p * strides[d]!;
      }
      return n;
    },
  };
}

/** Interior cells (row-major over the categories) summed from rows keyed by category labels. */
function interior(rows: readonly RawRow[], categories: readonly (readonly string[])[]): number[] {
  const sizes = categories.map((c) => c.length);
  const maps = categories.map((c) => new Map(c.map((label, i) => [label, i])));
  const strides = sizes.map((_, d) => sizes.slice(d + 1).reduce((n, s) => n * s, 1));
  const cells = new Array<number>(sizes.reduce((n, s) => n * s, 1)).fill(0);
  for (const r of rows) {
    let n = 0;
    r.key.forEach((v, d) => {
      const i = v === null ? undefined : maps[d]!.get(v);
      if (i === undefined) throw new Error(`unexpected category '${v}' for dimension ${d}`);
      n += i * strides[d]!;
    });
    cells[n]! += r.value;
  }
  return cells;
}

/** Rows keyed with null for totals (GROUP BY CUBE) placed on the grid. */
function cube(rows: readonly RawRow[], grid: LabelledGrid): number[] {
  const out = new Array<number>(gridLength(grid.sizes)).fill(0);
  for (const r of rows) {
    const i = grid.index(r.key.map((v) => v ?? TOTAL_LABEL));
    if (i === undefined) throw new Error(`unexpected categories ${r.key.join(', ')}`);
    out[i] = r.value;
  }
  return out;
}

/** Splits rows keyed by dims + age_band into one grid with margins per ESP2013 band. */
function byBand(rows: readonly RawRow[], categories: readonly (readonly string[])[]): number[][] {
  const sizes = categories.map((c) => c.length);
  return AGE_BANDS.map((b) =>
    withAdditiveMargins(sizes, interior(rows.filter((r) => r.key.at(-1) === b.band).map((r) => ({ key: r.key.slice(0, -1), value: r.value })), categories)),
  );
}

/**
 * A stratum's count or population as used in a standardised rate: 0 stays 0, a value the rules
 * would suppress counts as the middle of the suppressed band, anything else is rounded to the
 * base. So a DSR is a function of protected values only, never of an exact stratum.
 */
export function protectedStratum(value: number, config: DisclosureConfig): number {
  if (value <= 0) return 0;
  if (isPrimarySuppressed(value, config)) return (1 + config.suppressTo) / 2;
  return roundToBase(value, config.roundTo);
}

/**
 * Applies the rules to one block: counts (with exact margins, then rounded and suppressed, with
 * secondary suppression) and, for rates, the block's research population under the same rules.
 * The same request over the same block always gives the same protected block, whatever window
 * it is part of.
 */
export function protectBlock(input: BlockInput, config: DisclosureConfig): ProtectedBlock {
  const { measure, dims, categories } = input;
  const grid = labelledGrid(categories);
  const popDims = dims.flatMap((d, i) => (TIME_DIMS.includes(d) ? [] : [i]));
  const popCategories = popDims.map((i) => categories[i]!);
  let raw: number[];
  let strata: ProtectedBlock['strata'];
  // dsr: the population by band, read once for both the strata and the population grid.
  const popBands = measure === 'dsr' ? byBand(input.population ?? [], popCategories) : null;
  if (measure === 'patients') raw = cube(input.counts, grid);
  else if (popBands) {
    const bands = byBand(input.counts, categories);
    raw = Array.from({ length: gridLength(grid.sizes) }, (_, i) => bands.reduce((s, b) => s + b[i]!, 0));
    strata = {
      counts: bands.map((b) => b.map((v) => protectedStratum(v, config))),
      population: popBands.map((b) => b.map((v) => protectedStratum(v, config))),
    };
  } else raw = withAdditiveMargins(grid.sizes, interior(input.counts, categories));
  const block: ProtectedBlock = { months: input.months, grid, popDims, counts: protectCounts(grid.sizes, raw, config), strata };
  if (measure === 'crude_rate' || measure === 'dsr') {
    const popGrid = labelledGrid(popCategories);
    const pop = popBands
      ? Array.from({ length: gridLength(popGrid.sizes) }, (_, i) => popBands.reduce((s, b) => s + b[i]!, 0))
      : withAdditiveMargins(popGrid.sizes, interior(input.population ?? [], popCategories));
    block.popGrid = popGrid;
    block.population = protectCounts(popGrid.sizes, pop, config);
  }
  return block;
}
