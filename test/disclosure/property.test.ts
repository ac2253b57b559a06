import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCLOSURE_CONFIG as cfg,
  gridLength,
  gridLines,
  protectCounts,
  SHOWN,
  withAdditiveMargins,
} from '../../server/disclosure/index.ts';

/** Tables of 1-3 dimensions with 1-5 categories, counts mostly small so suppression bites. */
const tableArb = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
  .chain((sizes) =>
    fc.record({
      sizes: fc.constant(sizes),
      cells: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 0, max: 12 }) },
          { weight: 2, arbitrary: fc.integer({ min: 8, max: 400 }) },
          { weight: 1, arbitrary: fc.constant(0) },
        ),
        { minLength: sizes.reduce((n, s) => n * s, 1), maxLength: sizes.reduce((n, s) => n * s, 1) },
      ),
    }),
  );

/** Rank of a dense matrix by Gaussian elimination in doubles (entries are 0/±1; tables are tiny). */
function rank(matrix: number[][]): number {
  const m = matrix.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let pivot = -1;
    let best = 1e-9;
    for (let i = r; i < m.length; i++) if (Math.abs(m[i]![c]!) > best) [pivot, best] = [i, Math.abs(m[i]![c]!)];
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let k = c; k < cols; k++) m[i]![k]! -= f * m[r]![k]!;
    }
    r++;
  }
  return r;
}

/**
 * Independent of the module's audit: a withheld entry j is determined by the published table
 * exactly when dropping its column lowers the rank of the constraint matrix over withheld entries.
 */
function determinedEntries(sizes: number[], status: Uint8Array): number[] {
  const hidden = [...status.keys()].filter((i) => status[i] !== SHOWN);
  const rowsOf = (vars: number[]) =>
    gridLines(sizes).map((line) => vars.map((v) => (line.cells.includes(v) ? 1 : v === line.total ? -1 : 0)));
  const full = rank(rowsOf(hidden));
  return hidden.filter((j) => rank(rowsOf(hidden.filter((v) => v !== j))) < full);
}

describe('disclosure control properties', () => {
  it('uses an independent checker that does see a known leak (two blocks joined by one cell)', () => {
    const sizes = [4, 4];
    const raw = withAdditiveMargins(sizes, [3, 4, 100, 110, 5, 6, 7, 120, 130, 140, 2, 3, 150, 160, 4, 5]);
    const status = Uint8Array.from(raw, (v) => (v > 0 && v <= 7 ? 1 : 0));
    expect(determinedEntries(sizes, status)).toEqual([1 * 5 + 2]);
  });

  it('never shows 1-7, shows only multiples of 5, and shows 0 only for a true 0', () => {
    fc.assert(
      fc.property(tableArb, ({ sizes, cells }) => {
        const raw = withAdditiveMargins(sizes, cells);
        const out = protectCounts(sizes, raw, cfg);
        expect(out.values).toHaveLength(gridLength(sizes));
        out.values.forEach((v, i) => {
          if (v === null) return;
          expect(v % 5).toBe(0);
          expect(v >= 1 && v <= 7).toBe(false);
          if (v === 0) expect(raw[i]).toBe(0);
          expect(Math.abs(v - raw[i]!)).toBeLessThanOrEqual(2.5);
        });
        // Every raw 1-7 is withheld.
        raw.forEach((v, i) => {
          if (v >= 1 && v <= 7) expect(out.values[i]).toBeNull();
        });
      }),
      { numRuns: 400, seed: 20260601 },
    );
  });

  it('leaves no withheld entry equal to a published total minus published cells', () => {
    fc.assert(
      fc.property(tableArb, ({ sizes, cells }) => {
        const out = protectCounts(sizes, withAdditiveMargins(sizes, cells), cfg);
        for (const line of gridLines(sizes)) {
          const hidden = [...line.cells, line.total].filter((i) => out.values[i] === null);
          expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('leaves no withheld entry determined by any combination of published lines', () => {
    fc.assert(
      fc.property(tableArb, ({ sizes, cells }) => {
        const out = protectCounts(sizes, withAdditiveMargins(sizes, cells), cfg);
        expect(determinedEntries(sizes, out.status)).toEqual([]);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tableArb, ({ sizes, cells }) => {
        const a = protectCounts(sizes, withAdditiveMargins(sizes, cells), cfg);
        const b = protectCounts([...sizes], withAdditiveMargins([...sizes], [...cells]), cfg);
        expect(JSON.stringify(b.values)).toBe(JSON.stringify(a.values));
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});
