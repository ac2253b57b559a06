/**
 * CSV cells that a spreadsheet would run as a formula (CSV injection, OWASP): a cell starting with
 * `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, which Excel, LibreOffice and Google Sheets
 * show as text. A number is left alone, so negative values stay numbers. The same rule as the API's
 * table writer (`server/http/table-csv.ts`, which keeps its own copy for now), except that only a
 * whole number is exempt: a cell like `-1+cmd|' /C calc'!A0` starts like a number and is still
 * a formula.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The text of a cell with a formula start neutralised (`'` prefixed); numbers unchanged. */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) && !NUMBER.test(s) ? `'${s}` : s;
}

/** One CSV field: null is empty, formula starts neutralised, quoted when it holds `"`, `,`, CR or LF. */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = neutraliseFormula(String(v));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A `# key: value` comment line, kept on one line. */
export function csvCommentLine(key: string, value: string): string {
  return `# ${key}: ${value.replace(/[\r\n]+/g, ' ')}`;
}
