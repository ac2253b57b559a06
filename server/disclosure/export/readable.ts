import { CODED_DIMENSIONS, exportCategoryLabel, exportCodeColumnLabel, exportColumnLabel } from '../../../domain/export-labels.ts';
import { csvCell, csvCommentLine } from '../../csv/formula-guard.ts';
import type { Cell, PublishedTable } from './build-table.ts';
import type { TableHeader } from './formats.ts';

interface ReadableColumn {
  /** The header in words. */
  label: string;
  /** Its machine name, listed on the `# columns:` line. */
  machine: string;
  value: (row: Cell[]) => Cell;
}

/**
 * The columns of the readable CSV, built from the published columns only (so nothing the codes
 * CSV does not hold can appear): each dimension in words (`<dim>_label`), with its code beside it
 * where the words cannot be turned back into the code without a lookup (region, STP); counts and
 * rates as published; suppression flags as yes/no.
 */
export function readableColumns(table: PublishedTable): ReadableColumn[] {
  return table.columns.flatMap((c, i): ReadableColumn[] => {
    if (c.kind === 'dimension') {
      const words: ReadableColumn = { label: exportColumnLabel(c.name), machine: `${c.name}_label`, value: (r) => exportCategoryLabel(c.name, String(r[i] ?? '')) };
      if (!CODED_DIMENSIONS.has(c.name)) return [words];
      return [words, { label: exportCodeColumnLabel(c.name), machine: c.name, value: (r) => (r[i] === 'Total' ? '' : r[i]!) }];
    }
    if (c.kind === 'flag') return [{ label: exportColumnLabel(c.name), machine: c.name, value: (r) => (r[i] === true ? 'yes' : 'no') }];
    return [{ label: exportColumnLabel(c.name), machine: c.name, value: (r) => r[i]! }];
  });
}

/**
 * The research table for people (`GET /api/exports/{id}?format=csv&labels=words`): the same
 * published cells as the codes CSV, with a header row in words and categories in words. The
 * machine names are on a `# columns:` line (one per column, in order) and the region and STP
 * codes in their own columns, so a script can still join on them. Withheld values print as `*`.
 */
export function tableToReadableCsv(table: PublishedTable, header: TableHeader, rules: string): string {
  const cols = readableColumns(table);
  const lines = [
    csvCommentLine('measure', header.measure),
    csvCommentLine('period', header.period),
    csvCommentLine('source run', header.sourceRunId ?? 'unknown'),
    csvCommentLine('disclosure control', rules),
    csvCommentLine('suppressed values', '* (a true zero is 0); Total rows are margins over every category'),
    csvCommentLine('columns', cols.map((c) => c.machine).join(',')),
    cols.map((c) => csvCell(c.label)).join(','),
    ...table.rows.map((r) => cols.map((c) => csvCell(c.value(r))).join(',')),
  ];
  return lines.join('\n') + '\n';
}
