/**
 * `events`, Hive-partitioned by region and year, from the run's staged events
 * (`<staging>/events/region=R/year=Y/*.parquet`, written file by file by the ingest). Each
 * partition is written by its own ordered COPY from its own staged files, so no statement reads
 * more than one partition: DuckDB's PARTITION_BY writer gave different bytes on re-runs with two
 * threads (checked with DuckDB 1.5), and the contract is one `data.parquet` per partition. The
 * same job writes the partition's share of the rollups (`rollups.ts`): a rollup cell's month lies
 * in one year and its region is the patient's, so the partitions' rollups are disjoint.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { sqlString, type PipelineDb } from '../ingest/db.ts';
import type { OptOutPolicy } from './patients.ts';
import { writeParquet } from './parquet.ts';
import { writeRollupPart } from './rollups.ts';

const REGION_DIR = /^region=([a-z][a-z-]*)$/;
const YEAR_DIR = /^year=(\d{4})$/;

export interface EventPartition {
  region: string;
  year: number;
  /** The staged files' glob, as a SQL relation (duplicates removed, the opt-out policy applied). */
  source: string;
  /** Bytes of its staged files (the pool starts the biggest first). */
  bytes: number;
  /** The staged files' folder (deleted once the partition is written). */
  dir: string;
}

export interface WriteJob {
  name: string;
  /** Rough size, so the pool starts the biggest jobs first. */
  weight: number;
  run: (db: PipelineDb) => Promise<number>;
}

/**
 * The staged partitions. `dups`: whether `encounter_dups` has rows (then they are left out with an
 * anti-join; a clean record skips it). Policy `all`: opted-out patients' events are left out.
 */
export function stagedPartitions(eventsDir: string, o: { policy: OptOutPolicy; dups: boolean }): EventPartition[] {
  const out: EventPartition[] = [];
  for (const r of readdirSync(eventsDir).sort()) {
    const region = REGION_DIR.exec(r)?.[1];
    // Both come from our own reference table and a SMALLINT, but they name a folder: check anyway.
    if (!region) throw new Error(`unexpected staged partition ${r}`);
    for (const y of readdirSync(path.join(eventsDir, r)).sort()) {
      const year = YEAR_DIR.exec(y)?.[1];
      if (!year) throw new Error(`unexpected staged partition ${r}/${y}`);
      const dir = path.join(eventsDir, r, y);
      const bytes = readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
      const files = `read_parquet(${sqlString(path.join(dir, '*.parquet'))})`;
      const where = [
        o.dups ? 'NOT EXISTS (SELECT 1 FROM encounter_dups d WHERE d.file_idx = s.file_idx AND d.line_no = s.line_no)' : '',
        o.policy === 'all' ? 'research' : '',
      ].filter(Boolean);
      const source = `(SELECT * FROM ${files} s${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
      out.push({ region, year: Number(year), source, bytes, dir });
    }
  }
  return out;
}

/** Loaded events of the staged partitions that the policy leaves out (`all`: opted-out patients'). */
export async function countStagedEvents(db: PipelineDb, parts: EventPartition[]): Promise<number> {
  let n = 0;
  for (const p of parts) n += Number(await db.scalar<bigint>('events', `SELECT count(*) FROM ${p.source}`));
  return n;
}

/** One job per partition: its events file, then its rollup part (written to `rollupPartsDir`). */
export function eventPartitionJobs(parts: EventPartition[], outDir: string, rollupPartsDir: string): WriteJob[] {
  return parts.map(({ region, year, source, bytes, dir }) => ({
    name: `events ${region}/${year}`,
    weight: bytes,
    run: async (conn: PipelineDb) => {
      const n = await writeParquet(
        conn,
        `write events ${region}/${year}`,
        `SELECT pid, service, start_date, month, los_days, age, age_band, sex, lsoa11, imd_decile, stp_code, provider FROM ${source}`,
        path.join(outDir, 'events', `region=${region}`, `year=${year}`, 'data.parquet'),
        undefined,
        // Service first: a query for one service (distinct patients, research patients) then
        // skips the other services' row groups by their min/max statistics (7x faster for
        // emergency admissions in a 1.5M-row partition). The input position is unique, so this
        // is a total order without comparing every column.
        'service, start_date, file_idx, line_no',
      );
      await writeRollupPart(conn, source, region, path.join(rollupPartsDir, `${region}-${year}.parquet`));
      // Its staged files are no longer needed: the scratch folder shrinks as the warehouse grows,
      // so the peak on disk is the staged record, not the staged record plus the warehouse.
      rmSync(dir, { recursive: true, force: true });
      return n;
    },
  }));
}
