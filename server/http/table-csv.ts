import type { Table } from 'apache-arrow';
import { jsonCell } from './table-json.ts';
import type { TableMeta } from './send-table.ts';

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // Quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function commentLine(key: string, value: string): string {
  return `# ${key}: ${value.replace(/[\r\n]+/g, ' ')}`;
}

/** CSV: `# measure`, `# period`, `# source run` comment lines, then a header row, then data. */
export function tableToCsv(table: Table, meta: TableMeta): string {
  const fields = table.schema.fields;
  const cols = fields.map((f) => table.getChild(f.name)!);
  const lines = [
    commentLine('measure', meta.measure),
    commentLine('period', meta.period),
    commentLine('source run', meta.sourceRunId ?? 'unknown'),
    fields.map((f) => csvField(f.name)).join(','),
  ];
  for (let i = 0; i < table.numRows; i++) {
    lines.push(fields.map((f, j) => csvField(jsonCell(f.type, cols[j]!.get(i)))).join(','));
  }
  return lines.join('\n') + '\n';
}
