import { DuckDBTypeId, type DuckDBMaterializedResult } from '@duckdb/node-api';
import {
  Bool, DateDay, Float32, Float64, Int16, Int32, Int64, Int8, TimestampMillisecond, Uint8, Uint16, Uint32, Utf8,
  Table, vectorFromArray, type DataType, type Vector,
} from 'apache-arrow';

type JsValue = unknown;

/** Explicit DuckDB -> Arrow type map; anything not listed is a query bug, not something to guess at. */
function arrowTypeFor(typeId: DuckDBTypeId): DataType {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN: return new Bool();
    case DuckDBTypeId.TINYINT: return new Int8();
    case DuckDBTypeId.SMALLINT: return new Int16();
    case DuckDBTypeId.INTEGER: return new Int32();
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT: return new Int64();
    case DuckDBTypeId.UTINYINT: return new Uint8();
    case DuckDBTypeId.USMALLINT: return new Uint16();
    case DuckDBTypeId.UINTEGER: return new Uint32();
    case DuckDBTypeId.FLOAT: return new Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL: return new Float64();
    case DuckDBTypeId.VARCHAR: return new Utf8();
    case DuckDBTypeId.DATE: return new DateDay();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: return new TimestampMillisecond();
    case DuckDBTypeId.SQLNULL: return new Utf8();
    default: throw new TypeError(`no Arrow mapping for DuckDB type id ${typeId}; cast it in the SQL`);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function toArrowValue(typeId: DuckDBTypeId, v: JsValue): JsValue {
  if (v === null || v === undefined) return null;
  switch (typeId) {
    case DuckDBTypeId.HUGEINT: {
      const b = v as bigint;
      if (b < INT64_MIN || b > INT64_MAX) throw new RangeError('HUGEINT value does not fit in Int64');
      return b;
    }
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v as Date).getTime();
    default:
      return v;
  }
}

export async function tableFromDuckDBResult(result: DuckDBMaterializedResult): Promise<Table> {
  const names = result.columnNames();
  const typeIds = names.map((_, i) => result.columnTypeId(i));
  const columns = await result.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    if (name in vectors) throw new Error(`duplicate result column name ${name}`);
    const typeId = typeIds[i]!;
    const values = (columns[i] ?? []).map((v) => toArrowValue(typeId, v));
    vectors[name] = vectorFromArray(values, arrowTypeFor(typeId));
  });
  return new Table(vectors);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Plain rows for server-side logic: integers as numbers (checked), DATE as 'YYYY-MM-DD'. */
export async function rowsFromDuckDBResult(result: DuckDBMaterializedResult): Promise<Record<string, unknown>[]> {
  const names = result.columnNames();
  const typeIds = names.map((_, i) => result.columnTypeId(i));
  const rows = await result.getRowsJS();
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const v = row[i];
      if (typeof v === 'bigint') {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`${name}: integer beyond 2^53`);
        out[name] = Number(v);
      } else if (v instanceof Date) {
        out[name] = typeIds[i] === DuckDBTypeId.DATE ? isoDate(v) : v.toISOString();
      } else {
        out[name] = v ?? null;
      }
    });
    return out;
  });
}
