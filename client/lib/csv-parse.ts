/**
 * A small RFC 4180 CSV reader for export previews. Lines starting with `#` before the header are
 * the metadata preamble the server writes (`# measure: ...`) and are returned separately.
 */
export interface ParsedCsv {
  preamble: string[];
  columns: string[];
  rows: string[][];
}

function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export function parseCsv(text: string): ParsedCsv {
  const lines = text.split(/\r?\n/);
  const preamble: string[] = [];
  let start = 0;
  while (start < lines.length && lines[start]!.startsWith('#')) preamble.push(lines[start++]!.replace(/^#\s?/, ''));
  const records = splitRecords(lines.slice(start).join('\n')).filter((r) => !(r.length === 1 && r[0] === ''));
  const [columns = [], ...rows] = records;
  return { preamble, columns, rows };
}
