import { DataType, tableFromIPC, type Field, type Table } from 'apache-arrow';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** The decoded table: rows of plain JSON-safe values plus the column names in server order. */
export interface DecodedTable {
  columns: string[];
  rows: Row[];
  /** Arrow schema metadata the server attaches: measure, period, sourceRunId, benchmarks. */
  meta: Record<string, string>;
}

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * One converter per column, chosen from the Arrow type, so nothing is left to chance:
 * 64-bit integers (BigInt in Arrow JS) become numbers, refused beyond 2^53 rather than silently
 * rounded; DATE columns become ISO text: `YYYY-MM` for a `month` column (the first of the month
 * by the warehouse's definition), `YYYY-MM-DD` otherwise; timestamps become ISO instants.
 */
function converterFor(field: Field): (v: unknown) => Cell {
  const t = field.type;
  if (DataType.isDate(t)) {
    const monthly = field.name === 'month';
    return (v) => (v == null ? null : monthly ? isoDate(Number(v)).slice(0, 7) : isoDate(Number(v)));
  }
  if (DataType.isTimestamp(t)) return (v) => (v == null ? null : new Date(Number(v)).toISOString());
  if (DataType.isInt(t) && t.bitWidth === 64) {
    return (v) => {
      if (v == null) return null;
      const n = Number(v as bigint);
      if (!Number.isSafeInteger(n)) throw new DecodeError(`column ${field.name}: ${String(v)} is beyond the safe integer range`);
      return n;
    };
  }
  if (DataType.isDecimal(t)) {
    const scale = t.scale;
    // Arrow JS gives decimals as raw integers; divide by the scale explicitly.
    return (v) => (v == null ? null : Number(String(v)) / 10 ** scale);
  }
  if (DataType.isBool(t)) return (v) => (v == null ? null : Boolean(v));
  if (DataType.isInt(t) || DataType.isFloat(t)) return (v) => (v == null ? null : Number(v));
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isDictionary(t)) return (v) => (v == null ? null : String(v));
  throw new DecodeError(`column ${field.name}: Arrow type ${String(t)} is not expected from this API`);
}

export function decodeTable(table: Table): DecodedTable {
  const fields = table.schema.fields;
  const columns = fields.map((f) => f.name);
  const converters = fields.map(converterFor);
  const vectors = fields.map((f) => table.getChild(f.name));
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]!] = converters[c]!(vectors[c]?.get(i));
    rows[i] = row;
  }
  return { columns, rows, meta: Object.fromEntries(table.schema.metadata) };
}

export function decodeArrow(bytes: Uint8Array): DecodedTable {
  return decodeTable(tableFromIPC(bytes));
}
