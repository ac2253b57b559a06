import { writeFile, rename, rm } from 'node:fs/promises';
import type { Db } from '../../db.ts';
import { csvCell, csvCommentLine } from '../../csv/formula-guard.ts';
import { WITHHELD, type Cell, type ColumnSpec, type PublishedTable } from './build-table.ts';

export const EXPORT_FORMATS = ['csv', 'parquet', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface TableHeader {
  measure: string;
  period: string;
  sourceRunId: string | null;
}

/**
 * CSV in the API's style (`# ` lines, then a header row). Withheld values print as `*`, values
 * that do not exist (a rate over no population) as an empty field. A text cell a spreadsheet
 * would run as a formula (starting `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, as in the
 * API's other CSV writer; numbers, negative ones included, are written as numbers. Nothing in it
 * depends on when or by whom it was made, so the same request gives the same bytes.
 */
export function tableToCsv(table: PublishedTable, header: TableHeader, rules: string): string {
  const lines = [
    csvCommentLine('measure', header.measure),
    csvCommentLine('period', header.period),
    csvCommentLine('source run', header.sourceRunId ?? 'unknown'),
    csvCommentLine('disclosure control', rules),
    table.columns.map((c) => csvCell(c.name)).join(','),
    ...table.rows.map((r) => r.map((v: Cell) => csvCell(v)).join(',')),
  ];
  return lines.join('\n') + '\n';
}

/** Row objects for JSON: withheld values become null; the `_suppressed` flags say why. */
export function tableToJsonRows(table: PublishedTable): Record<string, Cell>[] {
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c.name, r[i] === WITHHELD && c.kind !== 'dimension' ? null : r[i]!])));
}

const SQL_TYPES: Record<ColumnSpec['kind'], string> = { dimension: 'VARCHAR', count: 'BIGINT', rate: 'DOUBLE', flag: 'BOOLEAN' };

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Parquet through DuckDB: the rows go to a newline-delimited JSON file beside the target and
 * are copied with fixed column types. Paths are ours (the export's folder), column names come
 * from the fixed column list, so the statement holds no request text.
 */
export async function writeParquet(db: Db, table: PublishedTable, target: string): Promise<void> {
  for (const c of table.columns) if (!/^[a-z_][a-z0-9_]*$/.test(c.name)) throw new Error(`unsafe column name ${c.name}`);
  const jsonFile = `${target}.rows.json`;
  const tmp = `${target}.tmp`;
  await writeFile(jsonFile, tableToJsonRows(table).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(SQL_TYPES[c.kind])}`).join(', ');
  try {
    await db.exec(
      `COPY (SELECT * FROM read_json(${sqlString(jsonFile)}, format = 'newline_delimited', columns = {${columns}})) ` +
        `TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await rename(tmp, target);
  } finally {
    await rm(jsonFile, { force: true });
    await rm(tmp, { force: true });
  }
}
