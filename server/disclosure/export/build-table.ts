import { AGE_BANDS } from '../../../domain/age-bands.ts';
import { crudeRate, directlyStandardisedRate, poissonCountCI, type RateCI, type Stratum } from '../../stats/index.ts';
import type { DisclosureConfig } from '../config.ts';
import { gridLength, gridStrides } from '../grid.ts';
import { isPrimarySuppressed, roundToBase } from '../round.ts';
import { PRIMARY } from '../suppress.ts';
import { TOTAL_LABEL } from './categories.ts';
import { protectBlock, type BlockInput, type ProtectedBlock } from './protect-block.ts';
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
  /** Withheld entries per count column, and in all. */
  suppression: { byColumn: Record<string, { primary: number; secondary: number }>; primary: number; secondary: number };
  /** Rates or DSRs withheld because their count or person-years was withheld, or below the DSR threshold. */
  withheldRates: number;
}

/** One protected calendar-year block of a window. */
export interface WindowBlock {
  year: number;
  /** The block's months (YYYY-MM). */
  months: readonly string[];
  block: ProtectedBlock;
}

export interface WindowInput {
  measure: Measure;
  dims: readonly ExportDimension[];
  /** The window's categories of each dimension. */
  categories: readonly (readonly string[])[];
  blocks: WindowBlock[];
  /**
   * patients over several blocks: exact distinct patients over the whole window for every cell
   * and margin of the dimensions other than month and year (GROUP BY CUBE rows).
   */
  unionPatients?: RawRow[];
}

const PER = 1000;

/**
 * The rounding step a rate is published to: the power of ten at or below the rate's own
 * uncertainty from count rounding (half the base over the person-years), from 0.01 up. Finer
 * digits would only be false precision, since the count they come from is rounded.
 */
export function rateStep(halfWidth: number): number {
  if (!(halfWidth > 0) || !Number.isFinite(halfWidth)) return 0.01;
  return Math.max(0.01, 10 ** Math.floor(Math.log10(halfWidth)));
}

export function roundToStep(x: number, step: number): number {
  const decimals = Math.max(0, -Math.round(Math.log10(step)));
  return Number((Math.round(x / step) * step).toFixed(decimals));
}

/**
 * DSR and Dobson interval (PHEindicatormethods, via stats/) from protected strata, with the
 * interval built on the published total count: Dobson's limits are an invertible function of the
 * total, so they must be fed the published count, never another.
 */
export function dsrWithPublishedCount(strata: Stratum[], publishedCount: number, minEvents: number): RateCI | null {
  const dsr = directlyStandardisedRate(strata, { multiplier: PER, minCount: minEvents });
  if (dsr === null || publishedCount <= 0) return null;
  const weightSum = strata.reduce((s, x) => s + x.standard, 0);
  const variance = strata.reduce((s, x) => s + x.count * (x.standard / x.population) ** 2, 0);
  const sd = Math.sqrt(variance / (weightSum * weightSum) / publishedCount);
  const ci = poissonCountCI(publishedCount);
  return { value: dsr.value, lo: dsr.value + sd * (ci.lo - publishedCount) * PER, hi: dsr.value + sd * (ci.hi - publishedCount) * PER };
}

function labelsOf(categories: readonly (readonly string[])[]): (i: number) => string[] {
  const sizes = categories.map((c) => c.length);
  const strides = gridStrides(sizes);
  return (i) =>
    categories.map((c, d) => {
      const p = Math.floor(i / strides[d]!) % (sizes[d]! + 1);
      return p === sizes[d] ? TOTAL_LABEL : c[p]!;
    });
}

interface Source {
  block: ProtectedBlock;
  entry: number;
  popEntry: number;
  /** Months of the block the entry covers (1 for a month cell). */
  months: number;
}

/**
 * The published entry `labels` of a window draws on one block (a month or year cell), on every
 * block (a total over time, or a table without time), or on none (a month outside its year:
 * a structural zero).
 */
function sourcesOf(input: WindowInput, labels: readonly string[]): Source[] {
  const mi = input.dims.indexOf('month');
  const yi = input.dims.indexOf('year');
  const month = mi >= 0 ? labels[mi]! : TOTAL_LABEL;
  const year = yi >= 0 ? labels[yi]! : TOTAL_LABEL;
  let blocks = input.blocks;
  if (month !== TOTAL_LABEL) blocks = blocks.filter((b) => b.months.includes(month));
  if (year !== TOTAL_LABEL) blocks = blocks.filter((b) => String(b.year) === year);
  return blocks.map(({ block }) => {
    const entry = block.grid.index(labels);
    const popEntry = block.popGrid?.index(block.popDims.map((d) => labels[d]!)) ?? -1;
    if (entry === undefined || popEntry === undefined) throw new Error(`no entry ${labels.join(', ')} in its block`);
    return { block, entry, popEntry, months: month !== TOTAL_LABEL ? 1 : block.months };
  });
}

/** Sum of published values, withheld (null) if any is withheld. */
function sumPublished(values: (number | null)[]): number | null {
  let s = 0;
  for (const v of values) {
    if (v === null) return null;
    s += v;
  }
  return s;
}

function unionGrid(input: WindowInput, config: DisclosureConfig): ((labels: readonly string[]) => number | null) | null {
  if (input.measure !== 'patients' || input.blocks.length < 2) return null;
  const keep = input.dims.flatMap((d, i) => (d === 'month' || d === 'year' ? [] : [i]));
  const exact = new Map<string, number>();
  for (const r of input.unionPatients ?? []) exact.set(r.key.map((v) => v ?? TOTAL_LABEL).join('\u0000'), r.value);
  return (labels) => {
    const v = exact.get(keep.map((d) => labels[d]!).join('\u0000')) ?? 0;
    return isPrimarySuppressed(v, config) ? null : roundToBase(v, config.roundTo);
  };
}

/**
 * The research table of a window: every cell and margin of the requested dimensions, derived
 * only from the window's protected blocks (protect-block.ts):
 * - a month or year entry is its block's published figure; a total over several blocks is the
 *   sum of the blocks' published figures, withheld if any of them is (distinct patients: the
 *   exact union, rounded, shown only where every block's figure is shown);
 * - person-years are the blocks' published research populations x months / 12;
 * - crude rates and their intervals come from the published count and person-years; DSRs from
 *   the protected strata with the interval on the published count, and only where the published
 *   count is at least `dsrMinEvents` even at the low end of its rounding;
 * - rates are printed no finer than the count rounding allows (rateStep).
 * Pure: the same input gives the same table.
 */
export function publishTable(input: WindowInput, config: DisclosureConfig): PublishedTable {
  const { measure, dims, categories } = input;
  const sizes = categories.map((c) => c.length);
  const length = gridLength(sizes);
  const labels = labelsOf(categories);
  const union = unionGrid(input, config);
  const countName = measure === 'patients' ? 'patients' : 'count';
  const columns: ColumnSpec[] = dims.map((d) => ({ name: d, kind: 'dimension' }));
  const tally = { count: { primary: 0, secondary: 0 }, person_years: { primary: 0, secondary: 0 } };
  const rates = measure === 'crude_rate' || measure === 'dsr';
  const rateName = measure === 'dsr' ? 'dsr' : 'crude_rate';
  if (rates) {
    columns.push(
      { name: 'count', kind: 'count' },
      { name: 'person_years', kind: 'count' },
      { name: rateName, kind: 'rate' },
      { name: 'lo95', kind: 'rate' },
      { name: 'hi95', kind: 'rate' },
      { name: 'count_suppressed', kind: 'flag' },
      { name: 'person_years_suppressed', kind: 'flag' },
    );
  } else columns.push({ name: countName, kind: 'count' }, { name: `${countName}_suppressed`, kind: 'flag' });

  // A withheld entry is primary when it is one block's primary-suppressed figure; anything
  // else withheld (secondary in its block, or a sum over a withheld block) counts as secondary.
  const tallyWithheld = (primary: boolean, t: { primary: number; secondary: number }) => {
    if (primary) t.primary++;
    else t.secondary++;
  };

  let withheldRates = 0;
  const rows: Cell[][] = [];
  for (let i = 0; i < length; i++) {
    const l = labels(i);
    const sources = sourcesOf(input, l);
    let count: number | null = 0;
    if (sources.length > 0) {
      count = sumPublished(sources.map((s) => s.block.counts.values[s.entry]!));
      if (union && sources.length > 1 && count !== null) count = union(l);
    }
    if (count === null) tallyWithheld(sources.length === 1 && sources[0]!.block.counts.status[sources[0]!.entry] === PRIMARY, tally.count);
    if (!rates) {
      rows.push([...l, count ?? WITHHELD, count === null]);
      continue;
    }
    const py = sources.length === 0 ? 0 : sumPublished(sources.map((s) => { const p = s.block.population!.values[s.popEntry]!; return p === null ? null : (p * s.months) / 12; }));
    if (py === null) tallyWithheld(sources.length === 1 && sources[0]!.block.population!.status[sources[0]!.popEntry] === PRIMARY, tally.person_years);
    let rate: [Cell, Cell, Cell];
    if (count === null || py === null) {
      rate = [WITHHELD, WITHHELD, WITHHELD];
      withheldRates++;
    } else if (py === 0) rate = [null, null, null];
    else if (measure === 'crude_rate') {
      const r = crudeRate(count, py, { multiplier: PER });
      const step = rateStep(((config.roundTo / 2) * PER) / py);
      rate = [roundToStep(r.value, step), roundToStep(r.lo, step), roundToStep(r.hi, step)];
    } else if (count - Math.floor(config.roundTo / 2) * Math.max(1, sources.length) < config.dsrMinEvents) {
      rate = [WITHHELD, WITHHELD, WITHHELD];
      withheldRates++;
    } else {
      const strata: Stratum[] = AGE_BANDS.flatMap((b, k) => {
        let c = 0;
        let p = 0;
        for (const s of sources) {
          c += s.block.strata!.counts[k]![s.entry]!;
          p += (s.block.strata!.population[k]![s.popEntry]! * s.months) / 12;
        }
        return p > 0 ? [{ count: c, population: p, standard: b.esp2013 }] : [];
      });
      const r = strata.length ? dsrWithPublishedCount(strata, count, 1) : null;
      if (r === null) rate = [null, null, null];
      else {
        const weightSum = strata.reduce((s, x) => s + x.standard, 0);
        const half = ((config.roundTo / 2) * PER * Math.sqrt(strata.reduce((s, x) => s + (x.standard / x.population) ** 2, 0))) / weightSum;
        const step = rateStep(half);
        rate = [roundToStep(r.value, step), roundToStep(r.lo, step), roundToStep(r.hi, step)];
      }
    }
    rows.push([...l, count ?? WITHHELD, py === null ? WITHHELD : Math.round(py * 100) / 100, ...rate, count === null, py === null]);
  }
  const byColumn: PublishedTable['suppression']['byColumn'] = rates ? tally : { [countName]: tally.count };
  const all = Object.values(byColumn);
  return {
    columns,
    rows,
    suppression: { byColumn, primary: all.reduce((s, x) => s + x.primary, 0), secondary: all.reduce((s, x) => s + x.secondary, 0) },
    withheldRates,
  };
}

/** A one-block table (a window inside one calendar year): protects the block, then publishes it. */
export function buildPublishedTable(
  input: Omit<BlockInput, 'months'> & { months?: number; year?: number; blockMonths?: readonly string[] },
  config: DisclosureConfig,
): PublishedTable {
  const block = protectBlock({ ...input, months: input.months ?? 12 }, config);
  const mi = input.dims.indexOf('month');
  const months = input.blockMonths ?? (mi >= 0 ? input.categories[mi]! : []);
  const yi = input.dims.indexOf('year');
  const year = input.year ?? (yi >= 0 ? Number(input.categories[yi]![0]) : 0);
  return publishTable({ measure: input.measure, dims: input.dims, categories: input.categories, blocks: [{ year, months, block }] }, config);
}

