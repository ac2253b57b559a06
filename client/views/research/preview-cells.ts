import type { ParsedCsv } from '../../lib/csv-parse.ts';
import { exportCategoryLabel, exportColumnLabel } from '../../../domain/export-labels.ts';

/**
 * Which cells of an export preview are suppressed. The server adds a flag column per count
 * (`<count>_suppressed`, or a single `suppressed`); a flagged cell is shown as "suppressed", never
 * as 0, so it stays distinguishable from a true zero. Headers and categories are shown in words
 * (domain/export-labels.ts, the same words as the readable CSV); the codes stay in `columns`.
 */
export interface PreviewCell {
  text: string;
  suppressed: boolean;
  numeric: boolean;
}

export interface Preview {
  /** Machine names of the columns shown. */
  columns: string[];
  /** The same columns in words. */
  headers: string[];
  rows: PreviewCell[][];
  suppressedCells: number;
}

const TRUE = new Set(['true', '1', 'yes', 't', 'y']);
const isFlagColumn = (c: string) => c === 'suppressed' || c.endsWith('_suppressed');

export function previewOf(csv: ParsedCsv, dimensions: readonly string[]): Preview {
  const flagCols = csv.columns.map((c, i) => ({ c, i })).filter(({ c }) => isFlagColumn(c));
  const shown = csv.columns.map((c, i) => ({ c, i })).filter(({ c }) => !isFlagColumn(c));
  let suppressedCells = 0;
  const rows = csv.rows.map((r) =>
    shown.map(({ c, i }) => {
      const raw = r[i] ?? '';
      const own = flagCols.find((f) => f.c === `${c}_suppressed`);
      const shared = flagCols.find((f) => f.c === 'suppressed');
      const isDimension = dimensions.includes(c);
      const flagged = !isDimension && ((own && TRUE.has((r[own.i] ?? '').toLowerCase())) || (!own && shared && TRUE.has((r[shared.i] ?? '').toLowerCase()) && raw === ''));
      if (flagged) suppressedCells++;
      const text = flagged ? 'suppressed' : isDimension ? exportCategoryLabel(c, raw) : raw;
      return { text, suppressed: Boolean(flagged), numeric: !isDimension && raw !== '' && Number.isFinite(Number(raw)) };
    }),
  );
  return { columns: shown.map(({ c }) => c), headers: shown.map(({ c }) => exportColumnLabel(c)), rows, suppressedCells };
}
