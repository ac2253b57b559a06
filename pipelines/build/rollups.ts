/**
 * `rollups`: the dashboard's fast path, one row per month x region x STP x service x age band x
 * sex x IMD decile with activity, for all patients and for the research allow-list.
 */
import path from 'node:path';
import type { PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

export async function writeRollups(db: PipelineDb, outDir: string): Promise<number> {
  return writeParquet(
    db,
    'write rollups',
    `SELECT month, region, stp_code, service, age_band, sex, imd_decile,
       count(*)::BIGINT AS events,
       count(DISTINCT pid)::BIGINT AS patients,
       coalesce(sum(los_days), 0)::BIGINT AS bed_days,
       count(*) FILTER (WHERE research)::BIGINT AS research_events,
       count(DISTINCT pid) FILTER (WHERE research)::BIGINT AS research_patients,
       coalesce(sum(los_days) FILTER (WHERE research), 0)::BIGINT AS research_bed_days
     FROM events_out
     GROUP BY ALL`,
    path.join(outDir, 'rollups', 'data.parquet'),
  );
}
