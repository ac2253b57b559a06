import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCLOSURE_CONFIG as cfg,
  gridIndex,
  gridLength,
  gridLines,
  PRIMARY,
  protectCounts,
  recoverableEntries,
  SECONDARY,
  SHOWN,
  singlySuppressedLines,
  withAdditiveMargins,
} from '../../server/disclosure/index.ts';

/** Published grid as rows (categories then total), for readable expectations. */
function rows(sizes: [number, number], values: (number | null)[]): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let r = 0; r <= sizes[0]; r++) out.push(values.slice(r * (sizes[1] + 1), (r + 1) * (sizes[1] + 1)));
  return out;
}

describe('grid with margins', () => {
  it('adds exact totals to a 2 x 3 table', () => {
    const grid = withAdditiveMargins([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(rows([2, 3], grid)).toEqual([
      [1, 2, 3, 6],
      [4, 5, 6, 15],
      [5, 7, 9, 21],
    ]);
  });

  it('enumerates every line: 4 column lines and 3 row lines for a 2 x 3 table', () => {
    const lines = gridLines([2, 3]);
    expect(lines.filter((l) => l.dim === 0)).toHaveLength(4);
    expect(lines.filter((l) => l.dim === 1)).toHaveLength(3);
    // Row B: cells (1,0),(1,1),(1,2), total (1,3).
    expect(lines.find((l) => l.dim === 1 && l.cells[0] === 4)).toEqual({ dim: 1, cells: [4, 5, 6], total: 7 });
  });

  it('sums a three-way table into every margin', () => {
    const cells = Array.from({ length: 2 * 2 * 2 }, (_, i) => i + 1); // 1..8, sum 36
    const grid = withAdditiveMargins([2, 2, 2], cells);
    expect(grid).toHaveLength(27);
    expect(grid[gridIndex([2, 2, 2], [2, 2, 2])]).toBe(36);
    // First dimension at category 0, others totalled: cells 1..4.
    expect(grid[gridIndex([2, 2, 2], [0, 2, 2])]).toBe(10);
    // Last dimension at category 1, others totalled: 2 + 4 + 6 + 8.
    expect(grid[gridIndex([2, 2, 2], [2, 2, 1])]).toBe(20);
  });
});

describe('one-way table', () => {
  it('withholds 3, then the smallest other positive cell (12), keeps the true zero', () => {
    // Cells 3, 20, 0, 12; total 35. Alone, the 3 would be 35 - 20 - 0 - 12.
    const out = protectCounts([4], withAdditiveMargins([4], [3, 20, 0, 12]), cfg);
    expect(out.values).toEqual([null, 20, 0, null, 35]);
    expect([...out.status]).toEqual([PRIMARY, SHOWN, SHOWN, SECONDARY, SHOWN]);
    expect([out.primary, out.secondary]).toEqual([1, 1]);
  });

  it('leaves a table with nothing small alone, rounding each entry and the exact total', () => {
    // 8 + 12 + 13 = 33 -> 35 (not 10 + 10 + 15 = 35 by luck: check with 22 + 22 = 44 -> 45, cells 20 + 20).
    expect(protectCounts([3], withAdditiveMargins([3], [8, 12, 13]), cfg).values).toEqual([10, 10, 15, 35]);
    expect(protectCounts([2], withAdditiveMargins([2], [22, 22]), cfg).values).toEqual([20, 20, 45]);
  });
});

describe('two-way table, worked by hand', () => {
  it('suppresses a 2 x 2 block around one small cell', () => {
    //        x    y    z  | total
    //  A     2   15   30  |  47
    //  B    10   12   40  |  62
    //  C    20   25    9  |  54
    //  tot  32   52   79  | 163
    // Column x holds one withheld entry (A.x) -> withhold its smallest other positive cell, B.x (10).
    // Row A now holds only A.x -> withhold A.y (15); row B holds only B.x -> withhold B.y (12).
    // Columns x and y then hold two each: fixed point. The 2 x 2 block is a cycle: nothing recoverable.
    const sizes: [number, number] = [3, 3];
    const out = protectCounts(sizes, withAdditiveMargins(sizes, [2, 15, 30, 10, 12, 40, 20, 25, 9]), cfg);
    expect(rows(sizes, out.values)).toEqual([
      [null, null, 30, 45],
      [null, null, 40, 60],
      [20, 25, 10, 55],
      [30, 50, 80, 165],
    ]);
    expect([out.primary, out.secondary]).toEqual([1, 3]);
  });

  it('protects a withheld total in the row of column totals (secondary suppression in a margin)', () => {
    //        x    y    z  | total
    //  A    20   30    3  |  53
    //  B    40   50    2  |  92
    //  tot  60   80    5  | 145
    // Column z's total (5) is small. With only primary suppression the row of totals would show
    // 60, 80, *, 145 and the 5 would be 145 - 60 - 80.
    const sizes: [number, number] = [2, 3];
    const raw = withAdditiveMargins(sizes, [20, 30, 3, 40, 50, 2]);
    const out = protectCounts(sizes, raw, { ...cfg });
    expect(out.status[gridIndex(sizes, [2, 2])]).toBe(PRIMARY);
    // The margin row (dim 1 varies, dim 0 at its total) with only the 5 withheld is a leak:
    const status = new Uint8Array(raw.length);
    raw.forEach((v, i) => (status[i] = v > 0 && v <= 7 ? PRIMARY : SHOWN));
    const leaks = singlySuppressedLines(sizes, status);
    expect(leaks.map((l) => l.total)).toContain(gridIndex(sizes, [2, 3]));
    // Every z entry is alone in its row: 3 = 53 - 20 - 30, 2 = 92 - 40 - 50, 5 = 145 - 60 - 80.
    expect(recoverableEntries(sizes, status)).toEqual([gridIndex(sizes, [0, 2]), gridIndex(sizes, [1, 2]), gridIndex(sizes, [2, 2])]);
    // Rows A, B and the row of totals each give up their smallest positive cell: A.x, B.x, total x.
    expect(rows(sizes, out.values)).toEqual([
      [null, 30, null, 55],
      [null, 50, null, 90],
      [null, 80, null, 145],
    ]);
    expect([out.primary, out.secondary]).toEqual([3, 3]);
  });

  it('closes a cell the line rule misses: two blocks joined by one cell (exact audit)', () => {
    //        0    1    2    3
    //  r0    3    4  100  110
    //  r1    5    6    7  120
    //  r2  130  140    2    3
    //  r3  150  160    4    5
    // Every small cell is withheld and every line holds two or more, yet the 7 at (r1, c2) is
    // determined: (r0 + r1 withheld sums) - (c0 + c1 withheld sums) = (7 + 18) - (8 + 10) = 7.
    const sizes: [number, number] = [4, 4];
    const raw = withAdditiveMargins(sizes, [3, 4, 100, 110, 5, 6, 7, 120, 130, 140, 2, 3, 150, 160, 4, 5]);
    const status = new Uint8Array(raw.length);
    raw.forEach((v, i) => (status[i] = v > 0 && v <= 7 ? PRIMARY : SHOWN));
    expect(singlySuppressedLines(sizes, status)).toEqual([]);
    expect(recoverableEntries(sizes, status)).toEqual([gridIndex(sizes, [1, 2])]);
    // The repair withholds the smallest shown cell of column 2 (its first line): the 100 at (r0, c2),
    // which puts the 7 on a cycle r0-c2-r1-c0-r0.
    const out = protectCounts(sizes, raw, cfg);
    expect(out.status[gridIndex(sizes, [0, 2])]).toBe(SECONDARY);
    expect([out.primary, out.secondary]).toEqual([9, 1]);
    expect(recoverableEntries(sizes, out.status)).toEqual([]);
  });

  it('never prints a withheld value as 0, and prints a true 0 as 0', () => {
    const sizes: [number, number] = [2, 2];
    const out = protectCounts(sizes, withAdditiveMargins(sizes, [0, 4, 0, 30]), cfg);
    expect(out.values[gridIndex(sizes, [0, 0])]).toBe(0);
    expect(out.values[gridIndex(sizes, [0, 1])]).toBeNull();
    expect(out.status[gridIndex(sizes, [0, 0])]).toBe(SHOWN);
  });

  it('accepts non-additive margins (distinct patients) as given and still protects them', () => {
    // Distinct patients by month: 9 and 10 in two months but 12 over both (some came twice).
    const out = protectCounts([2], [9, 10, 12], cfg);
    expect(out.values).toEqual([10, 10, 10]);
    const small = protectCounts([2], [3, 10, 11], cfg);
    expect(small.values).toEqual([null, null, 10]);
  });
});

describe('three-way table', () => {
  it('leaves no single withheld entry in any line and nothing recoverable', () => {
    const sizes = [2, 3, 2];
    const cells = [1, 40, 33, 25, 18, 60, 22, 5, 41, 16, 70, 12];
    const out = protectCounts(sizes, withAdditiveMargins(sizes, cells), cfg);
    expect(out.values).toHaveLength(gridLength(sizes));
    expect(singlySuppressedLines(sizes, out.status)).toEqual([]);
    expect(recoverableEntries(sizes, out.status)).toEqual([]);
    expect(out.primary).toBe(2);
    expect(out.secondary).toBeGreaterThanOrEqual(3);
  });
});

describe('determinism', () => {
  it('gives identical output for identical input', () => {
    const sizes = [3, 4];
    const raw = withAdditiveMargins(sizes, [5, 9, 9, 9, 12, 2, 9, 40, 9, 9, 9, 9]);
    const a = protectCounts(sizes, raw, cfg);
    const b = protectCounts(sizes, [...raw], cfg);
    expect(JSON.stringify(a.values)).toBe(JSON.stringify(b.values));
    expect([...a.status]).toEqual([...b.status]);
  });

  it('breaks ties towards the lower category', () => {
    // Cells 3, 9, 9: the 3 needs company; both 9s tie, the first one goes.
    const out = protectCounts([3], withAdditiveMargins([3], [3, 9, 9]), cfg);
    expect(out.values).toEqual([null, null, 10, 20]);
  });

  it('handles a table of no dimensions (a single total)', () => {
    expect(protectCounts([], [5], cfg).values).toEqual([null]);
    expect(protectCounts([], [12], cfg).values).toEqual([10]);
  });

  it('rejects malformed grids', () => {
    expect(() => protectCounts([2], [1, 2], cfg)).toThrow(/expected 3/);
    expect(() => protectCounts([2], [1, -2, 3], cfg)).toThrow(/non-negative/);
    expect(() => protectCounts([0], [1], cfg)).toThrow(/positive/);
  });
});
