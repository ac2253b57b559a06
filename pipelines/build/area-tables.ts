/**
 * `rollups_by_area` and `population_by_area`: the rollups and denominators without the IMD
 * decile, the fast path of every dashboard query that neither groups nor filters by deprivation
 * (compare areas, forecasts, demand without `imd_decile`). Their size is bounded by months x STPs
 * x services x age bands x sexes (about 200,000 rows for five years) whatever the number of
 * patients: at a million patients a twelfth of the rollups. Summing `patients` over deciles is
 * exact: a patient lives in one LSOA, so in one decile.
 *
 * Written by the pipeline's build step, so the warehouse carries every table the `sql/` queries
 * read (another engine can run them on the same files). The SELECTs take their source relation
 * as an argument: the pipeline reads the Parquet it has just written, the test fixture its tables.
 */
import path from 'node:path';
import { sqlString, type PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

export const AREA_TABLES = [
  {
    name: 'rollups_by_area',
    from: 'rollups',
    select: (source: string) => `SELECT month, region, stp_code, service, age_band, sex,
      CAST(SUM(events) AS BIGINT) AS events, CAST(SUM(patients) AS BIGINT) AS patients, CAST(SUM(bed_days) AS BIGINT) AS bed_days
      FROM ${source} GROUP BY month, region, stp_code, service, age_band, sex`,
  },
  {
    name: 'population_by_area',
    from: 'population',
    select: (source: string) => `SELECT year, region, stp_code, age_band, sex,
      CAST(SUM(population) AS BIGINT) AS population, CAST(SUM(research_population) AS BIGINT) AS research_population
      FROM ${source} GROUP BY year, region, stp_code, age_band, sex`,
  },
] as const;

export type AreaTableName = (typeof AREA_TABLES)[number]['name'];

/** Writes both from the `rollups` and `population` Parquet already in `outDir`; returns rows per table. */
export async function writeAreaTables(db: PipelineDb, outDir: string): Promise<Record<AreaTableName, number>> {
  const rows = {} as Record<AreaTableName, number>;
  for (const t of AREA_TABLES) {
    const source = `read_parquet(${sqlString(path.join(outDir, t.from, 'data.parquet'))})`;
    rows[t.name] = await writeParquet(db, `write ${t.name}`, t.select(source), path.join(outDir, t.name, 'data.parquet'));
  }
  return rows;
}
