/**
 * `rollups`: the dashboard's fast path, one row per month x region x STP x service x age band x
 * sex x IMD decile with activity, for all patients and for the research allow-list.
 */
import path from 'node:path';
import type { PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

export async function writeRollups(db: PipelineDb, outDir: string): Promise<number> {
  // Two levels (cell x patient, then cell) instead of count(DISTINCT pid). Region, STP, sex, IMD
  // decile and the research flag are the patient's, so they are joined on after the first level
  // (a small build side) rather than carried through the big aggregation.
  return writeParquet(
    db,
    'write rollups',
    `WITH per_patient AS (
       SELECT month, service, age_band, pid, count(*) AS n, coalesce(sum(los_days), 0) AS bed
       FROM events_out GROUP BY month, service, age_band, pid)
     SELECT e.month, p.region, p.stp_code, e.service, e.age_band, p.sex, p.imd_decile,
       sum(e.n)::BIGINT AS events,
       count(*)::BIGINT AS patients,
       sum(e.bed)::BIGINT AS bed_days,
       coalesce(sum(e.n) FILTER (WHERE p.research), 0)::BIGINT AS research_events,
       count(*) FILTER (WHERE p.research)::BIGINT AS research_patients,
       coalesce(sum(e.bed) FILTER (WHERE p.research), 0)::BIGINT AS research_bed_days
     FROM per_patient e JOIN visible_patients p ON p.pid = e.pid
     GROUP BY ALL`,
    path.join(outDir, 'rollups', 'data.parquet'),
  );
}
