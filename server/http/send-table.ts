import type { Request, Response } from 'express';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import { tableToCsv } from './table-csv.ts';
import { tableToJsonRows } from './table-json.ts';
import { badRequest } from './problem.ts';
import { setAuditDetails } from '../audit/middleware.ts';

export interface TableMeta {
  /** What the numbers are, e.g. 'emergency_admission count'. */
  measure: string;
  /** e.g. '2019-04 to 2024-03'. */
  period: string;
  sourceRunId: string | null;
  /** Anything else worth saying (benchmark values...); JSON meta and Arrow schema metadata. */
  extra?: Record<string, string | number | null>;
}

export const FORMATS = ['arrow', 'csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** `format` from the query string; arrow unless asked otherwise. */
export function formatOf(req: Request): Format {
  const f = req.query.format;
  if (f === undefined) return 'arrow';
  if (typeof f === 'string' && (FORMATS as readonly string[]).includes(f)) return f as Format;
  throw badRequest('format', `format must be one of ${FORMATS.join(', ')}`);
}

/** Sends a result table as Arrow IPC stream (default), CSV with a commented header, or JSON. */
export function sendTable(req: Request, res: Response, table: Table, meta: TableMeta): void {
  const format = formatOf(req);
  setAuditDetails(res, { rows: table.numRows });
  res.set('Cache-Control', 'no-store');
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(tableToCsv(table, meta));
    return;
  }
  if (format === 'json') {
    res.type('application/json').send(JSON.stringify({ meta: metaObject(meta), rows: tableToJsonRows(table) }));
    return;
  }
  // A new schema object: tables may be shared (result cache), so they are never mutated.
  const metadata = new Map(table.schema.metadata);
  for (const [k, v] of Object.entries(metaObject(meta))) if (v !== null) metadata.set(k, String(v));
  const out = new Table(new Schema(table.schema.fields, metadata), table.batches);
  res.type('application/vnd.apache.arrow.stream').send(Buffer.from(tableToIPC(out, 'stream')));
}

function metaObject(meta: TableMeta): Record<string, string | number | null> {
  return { measure: meta.measure, period: meta.period, sourceRunId: meta.sourceRunId, ...(meta.extra ?? {}) };
}
