import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/csv-parse.ts';
import { previewOf } from './preview-cells.ts';
import { exportIdOf } from './research-exports.ts';

describe('export preview', () => {
  it('marks flagged counts as suppressed, keeps true zeros, hides the flag columns', () => {
    const csv = parseCsv('# measure: count\nregion,sex,count,count_suppressed\nwessex,female,*,true\nwessex,male,0,false\nwessex,Total,15,false\n');
    const p = previewOf(csv, ['region', 'sex']);
    expect(p.columns).toEqual(['region', 'sex', 'count']);
    expect(p.rows.map((r) => r[2]!.text)).toEqual(['suppressed', '0', '15']);
    expect(p.rows[0]![2]!.suppressed).toBe(true);
    expect(p.rows[1]![2]!.suppressed).toBe(false);
    expect(p.suppressedCells).toBe(1);
  });

  it('never marks a dimension value as suppressed', () => {
    const csv = parseCsv('region,count,suppressed\n,,true\n');
    const p = previewOf(csv, ['region']);
    expect(p.rows[0]!.map((c) => c.suppressed)).toEqual([false, true]);
  });

  it('accepts only safe export ids', () => {
    expect(exportIdOf({ id: 'ec4f55b2-504e-4d43-9a01-b311f0f74a44' })).toBe('ec4f55b2-504e-4d43-9a01-b311f0f74a44');
    expect(exportIdOf({ id: '../x' })).toBeNull();
    expect(exportIdOf(null)).toBeNull();
  });
});
