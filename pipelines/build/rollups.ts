/**
 * `rollups`: the dashboard's fast path, one row per month x region x STP x service x age band x
 * sex x IMD decile with activity, for all patients and for the research allow-list.
 */
import path from 'node:path';
import type { PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

export async function writeRollups(db: PipelineDb, outDir: string): Promise<number> {
  // Two levels (cell x patient, then cell) instead of count(DISTINCT pid): a patient's research
  // flag is the same on all their events, so the research columns come out of the same pass.
  return writeParquet(
    db,
    'write rollups',
    `WITH per_patient AS (
       -- region, STP, sex, IMD decile and the research flag are the patient's: carried, not grouped on
       SELECT month, service, age_band, pid,
         any_value(region) AS region, any_value(stp_code) AS stp_code, any_value(sex) AS sex,
         any_value(imd_decile) AS imd_decile, any_value(research) AS research,
         count(*) AS n, coalesce(sum(los_days), 0) AS bed
       FROM events_out GROUP BY month, service, age_band, pid)
     SELECT month, region, stp_code, service, age_band, sex, imd_decile,
       sum(n)::BIGINT AS events,
       count(*)::BIGINT AS patients,
       sum(bed)::BIGINT AS bed_days,
       coalesce(sum(n) FILTER (WHERE research), 0)::BIGINT AS research_events,
       count(*) FILTER (WHERE research)::BIGINT AS research_patients,
       coalesce(sum(bed) FILTER (WHERE research), 0)::BIGINT AS research_bed_days
     FROM per_patient
     GROUP BY ALL`,
    path.join(outDir, 'rollups', 'data.parquet'),
  );
}
