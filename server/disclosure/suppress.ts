import type { DisclosureConfig } from './config.ts';
import { gridLines, type Line } from './grid.ts';
import { isPrimarySuppressed } from './round.ts';

export const SHOWN = 0;
export const PRIMARY = 1;
export const SECONDARY = 2;
export type CellStatus = typeof SHOWN | typeof PRIMARY | typeof SECONDARY;

export function primarySuppression(values: readonly number[], config: DisclosureConfig): Uint8Array {
  const status = new Uint8Array(values.length);
  values.forEach((v, i) => {
    if (isPrimarySuppressed(v, config)) status[i] = PRIMARY;
  });
  return status;
}

/**
 * The cell to give up in a line that has exactly one suppressed entry: the smallest positive
 * shown category (a published zero protects little), then a zero, and the line's total only
 * when nothing else is left. Ties go to the lower category, so the choice is deterministic.
 */
export function complementCell(line: Line, values: readonly number[], status: Uint8Array): number {
  let best = -1;
  let bestKey = Infinity;
  for (const i of line.cells) {
    if (status[i] !== SHOWN) continue;
    const v = values[i]!;
    // Positives rank by size; zeros after every positive.
    const key = v > 0 ? v : Number.MAX_VALUE;
    if (key < bestKey) {
      best = i;
      bestKey = key;
    }
  }
  return best >= 0 ? best : line.total;
}

function suppressedIn(line: Line, status: Uint8Array): number {
  let n = status[line.total] !== SHOWN ? 1 : 0;
  for (const i of line.cells) if (status[i] !== SHOWN) n++;
  return n;
}

/**
 * Secondary suppression to a fixed point: every line (cells plus their total) ends with either
 * no suppressed entry or at least two, so no single withheld value equals a published total
 * minus published cells. Each pass suppresses at least one more entry or stops, so the loop
 * ends after at most `values.length` passes. Lines are visited in a fixed order.
 */
export function secondarySuppression(
  sizes: readonly number[],
  values: readonly number[],
  primary: Uint8Array,
): Uint8Array {
  const status = Uint8Array.from(primary);
  const lines = gridLines(sizes);
  for (let pass = 0; pass <= values.length; pass++) {
    let changed = false;
    for (const line of lines) {
      if (suppressedIn(line, status) !== 1) continue;
      status[complementCell(line, values, status)] = SECONDARY;
      changed = true;
    }
    if (!changed) return status;
  }
  throw new Error('secondary suppression did not converge');
}

/** Lines with exactly one suppressed entry: each such entry could be recovered by subtraction. */
export function singlySuppressedLines(sizes: readonly number[], status: Uint8Array): Line[] {
  return gridLines(sizes).filter((line) => suppressedIn(line, status) === 1);
}

export function suppressAll(sizes: readonly number[], values: readonly number[], config: DisclosureConfig): Uint8Array {
  return secondarySuppression(sizes, values, primarySuppression(values, config));
}
