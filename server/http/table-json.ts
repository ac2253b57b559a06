import { DataType, type Table } from 'apache-arrow';

/** JSON cell: 64-bit integers as numbers (counts stay far below 2^53), dates as 'YYYY-MM-DD'. */
export function jsonCell(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (DataType.isDate(type)) return new Date(v as number).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type)) return new Date(v as number).toISOString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

export function tableToJsonRows(table: Table): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const cols = fields.map((f) => table.getChild(f.name)!);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, j) => {
      row[f.name] = jsonCell(f.type, cols[j]!.get(i));
    });
    rows.push(row);
  }
  return rows;
}
