/**
 * A k-dimensional table with all its margins, stored flat in row-major order.
 *
 * Dimension d has `sizes[d]` categories at positions 0..sizes[d]-1 and its total at position
 * sizes[d]. So a 2 x 3 table has a 3 x 4 grid: the cells, a total column, a total row and the
 * grand total in the last position. Published tables carry every margin (the totals a reader
 * would otherwise compute), which is what secondary suppression must protect against.
 */
export interface GridShape {
  readonly sizes: readonly number[];
}

export function gridLength(sizes: readonly number[]): number {
  return sizes.reduce((n, s) => n * (s + 1), 1);
}

/** Strides of the extended grid (the last dimension varies fastest). */
export function gridStrides(sizes: readonly number[]): number[] {
  const strides = new Array<number>(sizes.length);
  let stride = 1;
  for (let d = sizes.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= sizes[d]! + 1;
  }
  return strides;
}

export function gridIndex(sizes: readonly number[], coords: readonly number[]): number {
  const strides = gridStrides(sizes);
  let index = 0;
  for (let d = 0; d < sizes.length; d++) {
    const c = coords[d]!;
    if (!Number.isInteger(c) || c < 0 || c > sizes[d]!) throw new RangeError(`coordinate ${c} out of range in dimension ${d}`);
    index += c * strides[d]!;
  }
  return index;
}

export function gridCoords(sizes: readonly number[], index: number): number[] {
  const strides = gridStrides(sizes);
  return strides.map((s, d) => Math.floor(index / s) % (sizes[d]! + 1));
}

/** True when the position is a margin (some dimension is at its total). */
export function isMargin(sizes: readonly number[], index: number): boolean {
  return gridCoords(sizes, index).some((c, d) => c === sizes[d]);
}

/**
 * Builds the extended grid of an additive measure from its interior cells (row-major over the
 * categories only), summing exact values: totals are computed before any rounding.
 */
export function withAdditiveMargins(sizes: readonly number[], cells: readonly number[]): number[] {
  const interior = sizes.reduce((n, s) => n * s, 1);
  if (cells.length !== interior) throw new RangeError(`expected ${interior} cells, got ${cells.length}`);
  const grid = new Array<number>(gridLength(sizes)).fill(0);
  const strides = gridStrides(sizes);
  const k = sizes.length;
  const coords = new Array<number>(k).fill(0);
  for (let i = 0; i < interior; i++) {
    // Add the cell to every position obtained by replacing any subset of coordinates by totals.
    for (let mask = 0; mask < 1 << k; mask++) {
      let index = 0;
      for (let d = 0; d < k; d++) index += ((mask >> d) & 1 ? sizes[d]! : coords[d]!) * strides[d]!;
      grid[index]! += cells[i]!;
    }
    for (let d = k - 1; d >= 0; d--) {
      coords[d]!++;
      if (coords[d]! < sizes[d]!) break;
      coords[d] = 0;
    }
  }
  return grid;
}

/**
 * A line: one dimension varies over its categories, the others are fixed (each at a category
 * or at its total). Its cells add up to its total entry, so a reader who sees all but one of
 * them can recover the missing one by subtraction.
 */
export interface Line {
  readonly dim: number;
  /** Grid indices of the categories, in category order. */
  readonly cells: readonly number[];
  /** Grid index of the line's total. */
  readonly total: number;
}

/** Every line of the grid, in a fixed order (by dimension, then by grid index of the start). */
export function gridLines(sizes: readonly number[]): Line[] {
  const strides = gridStrides(sizes);
  const length = gridLength(sizes);
  const lines: Line[] = [];
  for (let dim = 0; dim < sizes.length; dim++) {
    const n = sizes[dim]!;
    const stride = strides[dim]!;
    for (let start = 0; start < length; start++) {
      if (Math.floor(start / stride) % (n + 1) !== 0) continue;
      const cells = Array.from({ length: n }, (_, c) => start + c * stride);
      lines.push({ dim, cells, total: start + n * stride });
    }
  }
  return lines;
}
