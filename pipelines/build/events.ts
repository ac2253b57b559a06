/**
 * `events`, Hive-partitioned by region and year. Each partition is written by its own ordered
 * COPY: DuckDB's PARTITION_BY writer gave different bytes on re-runs with two threads (checked
 * with DuckDB 1.5), and the contract is one `data.parquet` per partition.
 */
import path from 'node:path';
import { ageBandSql } from '../../domain/age-bands.ts';
import type { PipelineDb } from '../ingest/db.ts';
import type { OptOutPolicy } from './patients.ts';
import { writeParquet } from './parquet.ts';

const REGION_CODE = /^[a-z][a-z-]*$/;

export async function createEventsTable(db: PipelineDb, policy: OptOutPolicy): Promise<{ events: number; excludedByOptOut: number }> {
  // A view, not a copy: every consumer (rollups, the partition writes) reads only the columns it
  // needs and filters first, and the loaded encounters are not materialised a second time. Not
  // TEMP (nor is encounter_final): the write jobs read it from their own connections.
  await db.run(
    'events',
    `CREATE OR REPLACE VIEW events_out AS
     SELECT file_idx, line_no, pid, service, start_date, date_trunc('month', start_date)::DATE AS month, los_days, age,
       ${ageBandSql('age')} AS age_band, sex, lsoa11, imd_decile, stp_code, provider, region,
       year(start_date)::SMALLINT AS year, research
     FROM encounter_final
     WHERE reason IS NULL ${policy === 'all' ? 'AND research' : ''}`,
  );
  const events = Number(await db.scalar<bigint>('events', 'SELECT count(*) FROM events_out'));
  const excluded = policy === 'all' ? Number(await db.scalar<bigint>('events', 'SELECT count(*) FROM encounter_final WHERE reason IS NULL AND NOT research')) : 0;
  return { events, excludedByOptOut: excluded };
}

export interface WriteJob {
  name: string;
  /** Rough size, so the pool starts the biggest jobs first. */
  weight: number;
  run: (db: PipelineDb) => Promise<number>;
}

/** One job per partition: each is a small, mostly single-threaded COPY, so they run side by side. */
export async function eventPartitionJobs(db: PipelineDb, outDir: string): Promise<WriteJob[]> {
  const parts = await db.rows<{ region: string; year: number; n: bigint }>('events', 'SELECT region, year, count(*) AS n FROM events_out GROUP BY ALL ORDER BY region, year');
  return parts.map(({ region, year, n }) => {
    // Both come from our own reference table and a SMALLINT, but they name a folder: check anyway.
    if (!REGION_CODE.test(region) || !Number.isInteger(year)) throw new Error(`unexpected partition ${region}/${year}`);
    return {
      name: `events ${region}/${year}`,
      weight: Number(n),
      run: (conn: PipelineDb) =>
        writeParquet(
          conn,
          `write events ${region}/${year}`,
          `SELECT pid, service, start_date, month, los_days, age, age_band, sex, lsoa11, imd_decile, stp_code, provider
           FROM events_out WHERE region = $region AND year = $year`,
          path.join(outDir, 'events', `region=${region}`, `year=${year}`, 'data.parquet'),
          { region, year },
          // Service first: a query for one service (distinct patients, research patients) then
          // skips the other services' row groups by their min/max statistics (7x faster for
          // emergency admissions in a 1.5M-row partition). The input position is unique, so this
          // is a total order without comparing every column.
          'service, start_date, file_idx, line_no',
        ),
    };
  });
}
