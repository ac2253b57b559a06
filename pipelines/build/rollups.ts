/**
 * `rollups`: the dashboard's fast path, one row per month x region x STP x service x age band x
 * sex x IMD decile with activity, for all patients and for the research allow-list. Computed per
 * event partition (region x year: its cells are disjoint from every other partition's), then
 * written as one file in a total order.
 */
import path from 'node:path';
import { sqlString, type PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

/**
 * One partition's rollups, unordered, into `file`. Two levels (cell x patient, then cell) instead
 * of count(DISTINCT pid). STP, sex, IMD decile and the research flag are the patient's, the same
 * on each of their events: carried through the first level with `any_value`. `region` is the
 * partition's (bound as a parameter: it came from a folder name we checked).
 */
export async function writeRollupPart(db: PipelineDb, source: string, region: string, file: string): Promise<void> {
  await db.run(
    `rollups ${region}`,
    `COPY (
       WITH per_patient AS (
         SELECT month, service, age_band, pid, count(*) AS n, coalesce(sum(los_days), 0) AS bed,
           any_value(stp_code) AS stp_code, any_value(sex) AS sex, any_value(imd_decile) AS imd_decile, any_value(research) AS research
         FROM ${source} GROUP BY month, service, age_band, pid)
       SELECT month, $region AS region, stp_code, service, age_band, sex, imd_decile,
         sum(n)::BIGINT AS events,
         count(*)::BIGINT AS patients,
         sum(bed)::BIGINT AS bed_days,
         coalesce(sum(n) FILTER (WHERE research), 0)::BIGINT AS research_events,
         count(*) FILTER (WHERE research)::BIGINT AS research_patients,
         coalesce(sum(bed) FILTER (WHERE research), 0)::BIGINT AS research_bed_days
       FROM per_patient GROUP BY ALL
     ) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy)`,
    { region },
  );
}

/** The parts as the `rollups` table (`partsDir` may be empty: a record without events). */
export function writeRollups(db: PipelineDb, partsDir: string, outDir: string, hasParts: boolean): Promise<number> {
  const columns = `month, region, stp_code, service, age_band, sex, imd_decile, events, patients, bed_days, research_events, research_patients, research_bed_days`;
  const source = hasParts
    ? `SELECT ${columns} FROM read_parquet(${sqlString(path.join(partsDir, '*.parquet'))})`
    : `SELECT NULL::DATE AS month, NULL::VARCHAR AS region, NULL::VARCHAR AS stp_code, NULL::VARCHAR AS service, NULL::VARCHAR AS age_band,
         NULL::VARCHAR AS sex, NULL::TINYINT AS imd_decile, NULL::BIGINT AS events, NULL::BIGINT AS patients, NULL::BIGINT AS bed_days,
         NULL::BIGINT AS research_events, NULL::BIGINT AS research_patients, NULL::BIGINT AS research_bed_days WHERE false`;
  return writeParquet(db, 'write rollups', source, path.join(outDir, 'rollups', 'data.parquet'));
}
