/**
 * `population`: the registered population alive on 1 July of each year of the period, by
 * region x STP x ESP2013 age band x sex x IMD decile, with the research (allow-listed) subset.
 * Uses the exact dates of birth and death, which exist only in memory during the run.
 */
import path from 'node:path';
import { ageBandSql } from '../../domain/age-bands.ts';
import type { PipelineDb } from '../ingest/db.ts';
import { writeParquet } from './parquet.ts';

export async function writePopulation(db: PipelineDb, outDir: string, fromYear: number, toYear: number): Promise<number> {
  const ageAtMidYear = `(y.year - year(p.birth_date) - CASE WHEN month(p.birth_date) * 100 + day(p.birth_date) > 701 THEN 1 ELSE 0 END)`;
  return writeParquet(
    db,
    'write population',
    `SELECT y.year::SMALLINT AS year, p.region, p.stp_code, ${ageBandSql(ageAtMidYear)} AS age_band, p.sex, p.imd_decile,
       count(*)::BIGINT AS population, count(*) FILTER (WHERE p.research)::BIGINT AS research_population
     FROM visible_patients p CROSS JOIN (SELECT unnest(generate_series($from_year, $to_year)) AS year) y
     WHERE p.birth_date <= make_date(y.year, 7, 1) AND (p.death_date IS NULL OR p.death_date > make_date(y.year, 7, 1))
     GROUP BY ALL`,
    path.join(outDir, 'population', 'data.parquet'),
    { from_year: fromYear, to_year: toYear },
  );
}
