/**
 * Both CSV writers neutralise cells a spreadsheet would run as a formula: the API's table writer
 * (`server/http/table-csv.ts`) always did; the research export's (`server/disclosure/export/formats.ts`)
 * did not, so a category label such as `=HYPERLINK(...)` went out live. Numbers, negative ones
 * included, stay numbers in both.
 */
import { Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { csvCell, neutraliseFormula } from '../../server/csv/formula-guard.ts';
import type { PublishedTable } from '../../server/disclosure/export/build-table.ts';
import { tableToCsv as exportCsv } from '../../server/disclosure/export/formats.ts';
import { tableToCsv as apiCsv } from '../../server/http/table-csv.ts';

const HOSTILE = [
  '=1+1',
  '=HYPERLINK("http://example.invalid/?x=1","click")',
  '+44 20 7946 0000',
  '-cmd|\' /C calc\'!A0',
  '@SUM(A1:A9)',
  '\t=1',
  '\r=1',
  '=',
  '+',
  '-',
  '@',
  '=a,b',
];
const HARMLESS = ['plain', 'Greater Manchester', '0-4', "'already quoted", 'a "quote"', 'x=1', ' =1', '', '*'];
const NUMBERS = [-5, -0.25, -1.5e-7, -123456.75, 0, 12, 3.5];

/** The data rows of a research export with one text column and one rate column. */
function exportRows(labels: string[], values: (number | null)[]): string[] {
  const table: PublishedTable = {
    columns: [{ name: 'area_name', kind: 'dimension' }, { name: 'rate', kind: 'rate' }],
    rows: labels.map((l, i) => [l, values[i] ?? null]),
    suppression: { byColumn: {}, primary: 0, secondary: 0 },
    withheldRates: 0,
  };
  return exportCsv(table, { measure: 'm', period: 'p', sourceRunId: 'r' }, 'rules').split('\n').slice(5, -1);
}

/** The same rows through the API's table writer. */
function apiRows(labels: string[], values: (number | null)[]): string[] {
  const table = new Table({ area_name: vectorFromArray(labels, new Utf8()), rate: vectorFromArray(values, new Float64()) });
  return apiCsv(table, { measure: 'm', period: 'p', sourceRunId: 'r' }).split('\n').slice(4, -1);
}

describe('CSV formula guard', () => {
  it('the research export neutralises every formula start, exactly as the API writer does', () => {
    const values = HOSTILE.map(() => 1);
    const got = exportRows(HOSTILE, values);
    expect(got).toEqual(apiRows(HOSTILE, values));
    for (const [i, row] of got.entries()) expect(row, HOSTILE[i]).toMatch(/^"?'/);
    expect(got[0]).toBe("'=1+1,1");
    expect(got[1]).toBe(`"'=HYPERLINK(""http://example.invalid/?x=1"",""click"")",1`);
    expect(got[5]).toBe("'\t=1,1");
    expect(got[6]).toBe(`"'\r=1",1`);
    expect(got[11]).toBe(`"'=a,b",1`);
  });

  it('leaves harmless text alone, as the API writer does', () => {
    const values = HARMLESS.map(() => null);
    expect(exportRows(HARMLESS, values)).toEqual(apiRows(HARMLESS, values));
    expect(exportRows(['plain', 'x=1'], [null, null])).toEqual(['plain,', 'x=1,']);
  });

  it('writes numbers as numbers, negative ones included, in a rate column and as text alike', () => {
    const labels = NUMBERS.map(String);
    const got = exportRows(labels, NUMBERS);
    expect(got).toEqual(apiRows(labels, NUMBERS));
    expect(got).toEqual(NUMBERS.map((n) => `${n},${n}`));
  });

  it('is stricter than a leading digit: "-1+..." starts like a number and is still a formula', () => {
    expect(neutraliseFormula('-1+cmd')).toBe("'-1+cmd");
    expect(neutraliseFormula('-1.5e-7')).toBe('-1.5e-7');
    expect(neutraliseFormula('-.5')).toBe('-.5');
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('keeps the comment lines on one line', () => {
    const table: PublishedTable = { columns: [{ name: 'n', kind: 'count' }], rows: [[1]], suppression: { byColumn: {}, primary: 0, secondary: 0 }, withheldRates: 0 };
    const csv = exportCsv(table, { measure: 'a\r\n=1', period: 'p', sourceRunId: null }, 'rules');
    expect(csv.split('\n').slice(0, 2)).toEqual(['# measure: a =1', '# period: p']);
  });
});
