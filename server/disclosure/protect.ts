import type { DisclosureConfig } from './config.ts';
import { gridLength, gridLines, type Line } from './grid.ts';
import { recoverableEntries } from './recoverability.ts';
import { roundToBase } from './round.ts';
import { complementCell, PRIMARY, primarySuppression, SECONDARY, secondarySuppression, SHOWN } from './suppress.ts';

export interface ProtectedCounts {
  /** Published values: rounded, or null where withheld (never 0 for a withheld value). */
  readonly values: (number | null)[];
  /** SHOWN, PRIMARY or SECONDARY per grid entry. */
  readonly status: Uint8Array;
  readonly primary: number;
  readonly secondary: number;
}

function checkGrid(sizes: readonly number[], raw: readonly number[]): void {
  for (const s of sizes) if (!Number.isInteger(s) || s < 1) throw new RangeError(`dimension size ${s} is not a positive integer`);
  if (raw.length !== gridLength(sizes)) throw new RangeError(`expected ${gridLength(sizes)} grid values, got ${raw.length}`);
  for (const v of raw) if (!Number.isFinite(v) || v < 0) throw new RangeError(`count ${v} is not a non-negative number`);
}

function linesThrough(sizes: readonly number[]): Map<number, Line[]> {
  const byEntry = new Map<number, Line[]>();
  for (const line of gridLines(sizes)) {
    for (const i of [...line.cells, line.total]) {
      const list = byEntry.get(i);
      if (list) list.push(line);
      else byEntry.set(i, [line]);
    }
  }
  return byEntry;
}

/**
 * Suppression that survives the exact audit: after the line rule, every withheld entry still
 * determined by the published table (see recoverability.ts) gets company: the smallest shown
 * entry in the first of its lines that has one is withheld too (one per exposed entry, skipping
 * entries whose lines already gained one in this round), and both steps repeat. Each round
 * withholds at least one more entry, so at most `raw.length` rounds run.
 */
function suppressToSafety(sizes: readonly number[], raw: readonly number[], primary: Uint8Array): Uint8Array {
  let status = secondarySuppression(sizes, raw, primary);
  const through = linesThrough(sizes);
  for (let round = 0; round <= raw.length; round++) {
    const exposed = recoverableEntries(sizes, status);
    if (exposed.length === 0) return status;
    const next = Uint8Array.from(status);
    const touched = new Set<Line>();
    for (const entry of exposed) {
      const lines = through.get(entry) ?? [];
      if (lines.some((l) => touched.has(l))) continue;
      const line = lines.find((l) => [...l.cells, l.total].some((i) => next[i] === SHOWN));
      if (!line) throw new Error(`entry ${entry} is recoverable but has no shown neighbour`);
      const added = complementCell(line, raw, next);
      next[added] = SECONDARY;
      for (const l of through.get(added) ?? []) touched.add(l);
    }
    status = secondarySuppression(sizes, raw, next);
  }
  throw new Error('suppression audit did not converge');
}

/**
 * Applies the rules to one count measure over a grid with all margins (grid.ts): raw values in,
 * published values out. Totals must be exact (computed before rounding) in `raw`.
 */
export function protectCounts(sizes: readonly number[], raw: readonly number[], config: DisclosureConfig): ProtectedCounts {
  checkGrid(sizes, raw);
  const primaryStatus = primarySuppression(raw, config);
  const status = suppressToSafety(sizes, raw, primaryStatus);
  let primary = 0;
  let secondary = 0;
  const values = raw.map((v, i) => {
    if (status[i] === PRIMARY) primary++;
    if (status[i] === SECONDARY) secondary++;
    return status[i] === SHOWN ? roundToBase(v, config.roundTo) : null;
  });
  return { values, status, primary, secondary };
}

/**
 * A rate or percentage from published (rounded) figures: withheld whenever either figure is
 * withheld, undefined (null) when the denominator is 0.
 */
export function derivedFromPublished(
  numerator: number | null,
  denominator: number | null,
  compute: (numerator: number, denominator: number) => number,
): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return compute(numerator, denominator);
}

/** A percentage from rounded values, as NHS Digital computes them. */
export function percentOf(part: number | null, whole: number | null): number | null {
  return derivedFromPublished(part, whole, (p, w) => (100 * p) / w);
}

/** DSRs are published only at `dsrMinEvents` or more events, and never where the count is withheld. */
export function dsrPublishable(rawEvents: number, countStatus: number, config: DisclosureConfig): boolean {
  return countStatus === SHOWN && rawEvents >= config.dsrMinEvents;
}
