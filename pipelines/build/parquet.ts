/**
 * Writing warehouse tables. Every COPY has a total ORDER BY (all output columns), so the same
 * rows give the same bytes whatever the thread count; the tests check that on re-runs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sqlString, type Params, type PipelineDb } from '../ingest/db.ts';

export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd';

/** COPY ... TO one Parquet file; returns the rows written. `orderBy` must be a total order of the rows. */
export async function writeParquet(db: PipelineDb, step: string, select: string, file: string, params?: Params, orderBy = 'ALL'): Promise<number> {
  mkdirSync(path.dirname(file), { recursive: true });
  return Number(await db.scalar<bigint>(step, `COPY (${select} ORDER BY ${orderBy}) TO ${sqlString(file)} (${PARQUET_OPTIONS})`, params));
}
