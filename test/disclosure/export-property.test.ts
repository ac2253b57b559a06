import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCLOSURE_CONFIG as cfg, gridCoords, gridLength, withAdditiveMargins } from '../../server/disclosure/index.ts';
import { buildPublishedTable } from '../../server/disclosure/export/build-table.ts';
import { categoriesOf } from '../../server/disclosure/export/categories.ts';
import { tableToCsv } from '../../server/disclosure/export/formats.ts';
import type { RawRow } from '../../server/disclosure/export/query.ts';
import { EXPORT_DIMENSIONS, type ExportDimension } from '../../server/disclosure/export/request.ts';

const window = { from: '2020-01', to: '2020-06' };
const small = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 300 }) });

/** A request shape (measure and up to 3 dimensions) with random exact values for every cell. */
const exportArb = fc
  .record({
    measure: fc.constantFrom('count', 'patients', 'crude_rate') as fc.Arbitrary<'count' | 'patients' | 'crude_rate'>,
    by: fc.uniqueArray(fc.constantFrom(...EXPORT_DIMENSIONS.filter((d) => d !== 'age_band' && d !== 'stp')), { maxLength: 3 }),
  })
  .chain(({ measure, by }) => {
    const n = by.reduce((k, d) => k * categoriesOf(d, window).length, 1);
    return fc.record({
      measure: fc.constant(measure),
      by: fc.constant(by as ExportDimension[]),
      counts: fc.array(small, { minLength: n, maxLength: n }),
      py: fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: n, maxLength: n }),
    });
  });

function cellRows(categories: string[][], values: number[]): RawRow[] {
  const sizes = categories.map((c) => c.length);
  const strides = sizes.map((_, d) => sizes.slice(d + 1).reduce((k, s) => k * s, 1));
  return values.map((value, i) => ({ key: categories.map((c, d) => c[Math.floor(i / strides[d]!) % sizes[d]!]!), value }));
}

describe('research tables, any measure and dimensions', () => {
  it('never print a count of 1-7, print only multiples of 5, and withhold every rate over a withheld count', () => {
    fc.assert(
      fc.property(exportArb, ({ measure, by, counts, py }) => {
        const categories = by.map((d) => categoriesOf(d, window));
        const sizes = categories.map((c) => c.length);
        // Distinct patients arrive with their margins (here: sums, an upper bound of the real ones).
        const countRows =
          measure === 'patients'
            ? withAdditiveMargins(sizes, counts).map((value, i) => ({ key: gridCoords(sizes, i).map((c, d) => (c === sizes[d] ? null : categories[d]![c]!)), value }))
            : cellRows(categories, counts);
        const table = buildPublishedTable({ measure, dims: by, categories, months: 6, counts: countRows, population: cellRows(categories.filter((_, d) => by[d] !== 'month' && by[d] !== 'year'), py.slice(0, categories.filter((_, d) => by[d] !== 'month' && by[d] !== 'year').reduce((n, c) => n * c.length, 1))) }, cfg);
        expect(table.rows).toHaveLength(gridLength(sizes));
        const csv = tableToCsv(table, { measure: 'm', period: 'p', sourceRunId: null }, 'r').split('\n').filter((l) => l && !l.startsWith('#'));
        const header = csv[0]!.split(',');
        const countCols = header.flatMap((h, i) => (['count', 'patients'].includes(h) ? [i] : []));
        const pyCol = header.indexOf('person_years');
        const rateCol = header.indexOf('crude_rate');
        for (const line of csv.slice(1)) {
          const f = line.split(',');
          for (const i of countCols) {
            const v = f[i]!;
            expect(v === '*' || (Number(v) % 5 === 0 && !(Number(v) >= 1 && Number(v) <= 7))).toBe(true);
            expect(f[header.indexOf(`${header[i]}_suppressed`)]).toBe(v === '*' ? 'true' : 'false');
          }
          // Person-years are a published (rounded) population x months / 12, printed to 2
          // decimals: x 12 they are a multiple of 5, up to that printing.
          if (pyCol >= 0 && f[pyCol] !== '*') {
            const fifths = (Number(f[pyCol]) * 12) / 5;
            expect(Math.abs(fifths - Math.round(fifths))).toBeLessThanOrEqual((0.005 * 12) / 5 + 1e-9);
          }
          if (rateCol >= 0 && (f[header.indexOf('count')] === '*' || f[header.indexOf('person_years')] === '*')) expect(f[rateCol]).toBe('*');
        }
      }),
      { numRuns: 60, seed: 42 },
    );
  });
});
