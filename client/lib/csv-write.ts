import type { Row } from './arrow-decode.ts';

function quote(v: unknown): string {
  if (v == null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to CSV text, columns in the given order, with `#` lines of provenance first. */
export function toCsv(columns: string[], rows: Row[], preamble: string[] = []): string {
  const lines = preamble.map((p) => `# ${p}`);
  lines.push(columns.map(quote).join(','));
  for (const r of rows) lines.push(columns.map((c) => quote(r[c])).join(','));
  return lines.join('\n') + '\n';
}
