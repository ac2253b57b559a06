import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCLOSURE_CONFIG as cfg } from '../../server/disclosure/index.ts';
import { buildPublishedTable, dsrWithPublishedCount, WITHHELD } from '../../server/disclosure/export/build-table.ts';
import { directlyStandardisedRate } from '../../server/stats/index.ts';
import { publishedRowCount } from '../../server/disclosure/export/categories.ts';
import { tableToCsv, tableToJsonRows } from '../../server/disclosure/export/formats.ts';
import { parseExportRequest } from '../../server/disclosure/export/request.ts';

const period = { from: '2019-01', to: '2023-12' };

describe('research table builder', () => {
  it('takes distinct-patient totals as given (not summed), then protects them', () => {
    // 40 patients in region a, 30 in b, but 55 in all (15 moved and were seen in both).
    const t = buildPublishedTable(
      { measure: 'patients', dims: ['region'], categories: [['a', 'b']], counts: [{ key: ['a'], value: 40 }, { key: ['b'], value: 30 }, { key: [null], value: 55 }] },
      cfg,
    );
    expect(t.columns.map((c) => c.name)).toEqual(['region', 'patients', 'patients_suppressed']);
    expect(t.rows).toEqual([
      ['a', 40, false],
      ['b', 30, false],
      ['Total', 55, false],
    ]);
  });

  it('withholds person-years of 1-7 and the rate over them; a rate over 0 person-years is empty, not withheld', () => {
    // Cells: a (12 events, population 1,003), b (0 events, 6), c (0 events, 0), over a whole year,
    // so person-years = population. Totals: 12 events, 1,009. Population line: 6 is primary;
    // 1,003 goes as secondary (smallest other positive). Total 1,009 -> 1,010.
    const t = buildPublishedTable(
      {
        measure: 'crude_rate',
        dims: ['sex'],
        categories: [['a', 'b', 'c']],
        counts: [{ key: ['a'], value: 12 }],
        population: [{ key: ['a'], value: 1003 }, { key: ['b'], value: 6 }],
      },
      cfg,
    );
    expect(t.rows.map((r) => r.slice(0, 4))).toEqual([
      ['a', 10, WITHHELD, WITHHELD],
      ['b', 0, WITHHELD, WITHHELD],
      ['c', 0, 0, null],
      ['Total', 10, 1010, 10],
    ]);
    // 10 / 1010 * 1000 = 9.90099, printed to the nearest 1: the count's rounding (+-2.5) moves
    // the rate by 2.5 / 1010 * 1000 = 2.48, so decimals would be false precision.
    expect(t.suppression.byColumn).toEqual({ count: { primary: 0, secondary: 0 }, person_years: { primary: 1, secondary: 1 } });
    expect(t.withheldRates).toBe(2);
    const json = tableToJsonRows(t);
    expect(json[1]).toMatchObject({ sex: 'b', count: 0, person_years: null, crude_rate: null, person_years_suppressed: true });
    const csv = tableToCsv(t, { measure: 'm', period: 'p', sourceRunId: 'r' }, 'rules').split('\n');
    expect(csv.slice(4, 8)).toEqual(['sex,count,person_years,crude_rate,lo95,hi95,count_suppressed,person_years_suppressed', 'a,10,*,*,*,*,false,true', 'b,0,*,*,*,*,false,true', 'c,0,0,,,,false,false']);
  });

  it('builds the DSR interval on the published count: PHE Dobson exactly when nothing was rounded', () => {
    const strata = [
      { count: 18, population: 950, standard: 5000 },
      { count: 36, population: 225, standard: 1500 },
    ];
    const phe = directlyStandardisedRate(strata, { multiplier: 1000 })!;
    expect(dsrWithPublishedCount(strata, 54, 10)).toEqual(phe);
    // Published 55 instead of 54: same DSR, limits from 55 events (the exact 54 cannot be read back).
    const shown = dsrWithPublishedCount(strata, 55, 10)!;
    expect(shown.value).toBe(phe.value);
    expect(shown.value).toBeCloseTo(51.498, 3);
    expect(shown.lo).not.toBe(phe.lo);
    expect(Math.abs(shown.lo - phe.lo)).toBeLessThan(0.05 * (phe.hi - phe.lo));
    expect(dsrWithPublishedCount([{ count: 9, population: 100, standard: 5000 }], 10, 10)).toBeNull();
  });

  it('refuses a category the request does not publish (data would silently drop out of the totals)', () => {
    expect(() =>
      buildPublishedTable({ measure: 'count', dims: ['sex'], categories: [['female', 'male']], counts: [{ key: ['unknown'], value: 3 }] }, cfg),
    ).toThrow(/unexpected category 'unknown'/);
  });

  it('counts published rows as the product of (categories + 1)', () => {
    const r = parseExportRequest({ service: 'ae_attendance', measure: 'count', from: '2019-01', to: '2020-12', by: ['month', 'stp', 'sex'] }, period);
    expect(publishedRowCount(r)).toBe(25 * 15 * 3);
    expect(publishedRowCount({ ...r, by: [] })).toBe(1);
  });
});
