/**
 * Encounters, one input file at a time (most of the record's bytes): each file is read once,
 * classified against the loaded patients, and leaves the database again as staged Parquet, so no
 * statement ever holds the whole record and memory does not grow with it.
 *
 * Per file, on one of `concurrency` connections (numbering a file's lines keeps its statement on
 * one thread, so files side by side is how the cores are used):
 * 1. staged into the connection's TEMP `stage_encounter` (`stageFile`: the `read_json` fast path,
 *    or line by line);
 * 2. `encounter_file`: each record's reasons and, for loaded ones, the event columns;
 * 3. out of the database again:
 *    - loaded events to `<staging>/events/region=R/year=Y/f<idx>_<n>.parquet` (the warehouse's own
 *      partitions, so the build writes each partition from its own files);
 *    - ids of the duplicate candidates to `<staging>/ids/bucket=B/` (16 buckets by a hash of the
 *      id, so the duplicate check is 16 bounded aggregations: `encounter-duplicates.ts`; the hash
 *      itself is not stored: 8 incompressible bytes a record, cheaper to compute again);
 *    - rejected records (rare) into the `encounter_rejects` table: file, line and reasons only.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ageBandSql } from '../../domain/age-bands.ts';
import { sqlString, type PipelineDb } from './db.ts';
import { createStageEncounterSql, encounterFileSql, STAGE_ENCOUNTER_TABLE } from './encounter-sql.ts';
import type { InputFile, InputScans } from './inputs.ts';
import type { ResourceType } from './reasons.ts';
import { stageFile, type StagedFile } from './stage.ts';

/** Buckets of the duplicate-id check: each holds about 1/16 of the ids (68 million at full scale). */
export const ID_BUCKETS = 16;

export interface EncounterStaging {
  /** `<staging>/events`: Hive folders `region=R/year=Y` of loaded events (duplicates not yet removed). */
  eventsDir: string;
  /** `<staging>/ids`: Hive folders `bucket=B` of (file_idx, line_no, id). */
  idsDir: string;
}

export interface EncounterFileResult {
  staged: StagedFile;
  /** Records with no reason before the duplicate check (staged as events). */
  candidates: number;
  /** Records that go into `encounter_rejects`. */
  rejects: number;
  firstDate: string | null;
  lastDate: string | null;
}

export function encounterStaging(root: string): EncounterStaging {
  const s = { eventsDir: path.join(root, 'events'), idsDir: path.join(root, 'ids') };
  mkdirSync(s.eventsDir, { recursive: true });
  mkdirSync(s.idsDir, { recursive: true });
  return s;
}

/** The table of rejected encounters' reasons (all files), on the shared database. */
export async function createEncounterRejects(db: PipelineDb): Promise<void> {
  await db.run(
    'encounter rejects',
    `CREATE OR REPLACE TABLE encounter_rejects (
       file_idx USMALLINT, line_no BIGINT, pre_reason VARCHAR, post_reason VARCHAR, dup_candidate BOOLEAN)`,
  );
}

/** Parquet options for staging files (deleted after the run): zstd, which halves them against snappy for little CPU. */
const STAGING_PARQUET = 'FORMAT parquet, COMPRESSION zstd, OVERWRITE_OR_IGNORE true';

async function classifyAndSpill(conn: PipelineDb, s: EncounterStaging, fileIdx: number, label: string): Promise<Omit<EncounterFileResult, 'staged'>> {
  await conn.run(`classify ${label}`, encounterFileSql);
  const pattern = `'f${String(fileIdx).padStart(5, '0')}_{i}'`;
  await conn.run(
    `stage events ${label}`,
    `COPY (
       SELECT file_idx, line_no, pid, service, start_date, date_trunc('month', start_date)::DATE AS month, los_days, age,
         ${ageBandSql('age')} AS age_band, sex, lsoa11, imd_decile, stp_code, provider, research,
         region, year(start_date)::SMALLINT AS year
       FROM encounter_file WHERE pre_reason IS NULL AND post_reason IS NULL
     ) TO ${sqlString(s.eventsDir)} (${STAGING_PARQUET}, PARTITION_BY (region, year), FILENAME_PATTERN ${pattern})`,
  );
  await conn.run(
    `stage ids ${label}`,
    `COPY (
       SELECT file_idx, line_no, id, (hash(id) % ${ID_BUCKETS})::UTINYINT AS bucket
       FROM encounter_file WHERE dup_candidate
     ) TO ${sqlString(s.idsDir)} (${STAGING_PARQUET}, PARTITION_BY (bucket), FILENAME_PATTERN ${pattern})`,
  );
  await conn.run(
    `rejects ${label}`,
    `INSERT INTO encounter_rejects
     SELECT file_idx, line_no, pre_reason, post_reason, dup_candidate FROM encounter_file
     WHERE pre_reason IS NOT NULL OR post_reason IS NOT NULL`,
  );
  const [c] = await conn.rows<{ candidates: bigint; rejects: bigint; first: string | null; last: string | null }>(
    `count ${label}`,
    `SELECT count(*) FILTER (WHERE pre_reason IS NULL AND post_reason IS NULL) AS candidates,
       count(*) FILTER (WHERE pre_reason IS NOT NULL OR post_reason IS NOT NULL) AS rejects,
       strftime(min(start_date) FILTER (WHERE pre_reason IS NULL AND post_reason IS NULL), '%Y-%m-%d') AS first,
       strftime(max(start_date) FILTER (WHERE pre_reason IS NULL AND post_reason IS NULL), '%Y-%m-%d') AS last
     FROM encounter_file`,
  );
  await conn.run(`drop ${label}`, 'DROP TABLE encounter_file');
  return { candidates: Number(c!.candidates), rejects: Number(c!.rejects), firstDate: c!.first, lastDate: c!.last };
}

/**
 * Every Encounter file through steps 1-3, `concurrency` at a time, biggest first; results in the
 * order of `files`. `onDone` gets each file's compressed bytes and records as it finishes (the
 * progress display's rows per second and ETA).
 */
export async function processEncounterFiles(
  db: PipelineDb,
  files: (InputFile & { resourceType: ResourceType; fileIdx: number })[],
  s: EncounterStaging,
  o: { asOf: string; spillDir: string; concurrency: number; scan: InputScans; onDone?: (file: InputFile, records: number) => void },
): Promise<EncounterFileResult[]> {
  const results = new Map<number, EncounterFileResult>();
  const queue = [...files].sort((a, b) => b.bytes - a.bytes || a.fileIdx - b.fileIdx);
  const workers = await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, files.length)) }, () => db.fork()));
  try {
    await Promise.all(
      workers.map(async (conn) => {
        for (let f = queue.shift(); f; f = queue.shift()) {
          // A new table for every file: DELETE would leave the old rows' blocks in memory (DuckDB
          // reclaims them only on a checkpoint), so memory and spill grew with every file read.
          await conn.run('create staging', createStageEncounterSql);
          const staged = await stageFile(conn, f, f.fileIdx, o.asOf, o.spillDir, o.scan);
          const counts = await classifyAndSpill(conn, s, f.fileIdx, f.file);
          results.set(f.fileIdx, { staged, ...counts });
          o.onDone?.(f, staged.lines - staged.blankLines);
          await conn.run('drop staging', `DROP TABLE ${STAGE_ENCOUNTER_TABLE}`);
        }
      }),
    );
  } finally {
    for (const w of workers) w.close();
  }
  return files.map((f) => results.get(f.fileIdx)!);
}
