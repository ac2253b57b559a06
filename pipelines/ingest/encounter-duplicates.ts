/**
 * Duplicate Encounter ids across the whole record, decided after every file is staged: bucket by
 * bucket (`ID_BUCKETS` by a hash of the id), so each aggregation holds a sixteenth of the ids.
 * Within a bucket, ids are grouped by their 64-bit hash first and the exact ids compared only for
 * the hashes seen more than once. Of several records with one id the first (by file, then line) is
 * kept, as for patients; the others go into `encounter_dups`. Then the reasons of every rejected
 * encounter (`encounter_rejected`), and the check that nothing was lost.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ResourceCounts } from './counts.ts';
import { sqlString, type PipelineDb } from './db.ts';
import type { EncounterFileResult, EncounterStaging } from './encounter-files.ts';
import { EXIT_BUILD_FAILED, PipelineError } from './errors.ts';

export async function findDuplicateEncounters(db: PipelineDb, s: EncounterStaging): Promise<number> {
  await db.run('duplicates', 'CREATE OR REPLACE TABLE encounter_dups (file_idx USMALLINT, line_no BIGINT)');
  const buckets = existsSync(s.idsDir) ? readdirSync(s.idsDir).filter((d) => /^bucket=\d+$/.test(d)).sort() : [];
  for (const b of buckets) {
    const ids = `read_parquet(${sqlString(path.join(s.idsDir, b, '*.parquet'))})`;
    await db.run(
      `duplicates ${b}`,
      `INSERT INTO encounter_dups
       WITH dup_hash AS (SELECT hash(id) AS h FROM ${ids} GROUP BY h HAVING count(*) > 1),
       x AS (SELECT id, file_idx, line_no, file_idx::BIGINT * 4294967296 + line_no AS pos FROM ${ids} WHERE hash(id) IN (SELECT h FROM dup_hash)),
       firsts AS (SELECT id, min(pos) AS first FROM x GROUP BY id HAVING count(*) > 1)
       SELECT x.file_idx, x.line_no FROM x JOIN firsts f ON f.id = x.id WHERE x.pos <> f.first`,
    );
  }
  return Number(await db.scalar<bigint>('duplicates', 'SELECT count(*) FROM encounter_dups'));
}

/**
 * `encounter_rejected` (file_idx, line_no, reason): every rejected encounter with its final reason.
 * The first reason that applies: the file's own (`pre_reason`), then `duplicate_id`, then the
 * patient checks (`post_reason`). A duplicate of a loaded record is a reject that was staged as an
 * event; the build leaves it out (`encounter_dups`).
 */
export async function createEncounterRejected(db: PipelineDb): Promise<void> {
  await db.run(
    'encounter rejected',
    `CREATE OR REPLACE TABLE encounter_rejected AS
     SELECT r.file_idx, r.line_no, coalesce(r.pre_reason, CASE WHEN d.line_no IS NOT NULL THEN 'duplicate_id' END, r.post_reason) AS reason
     FROM encounter_rejects r LEFT JOIN encounter_dups d ON d.file_idx = r.file_idx AND d.line_no = r.line_no
     UNION ALL
     SELECT d.file_idx, d.line_no, 'duplicate_id' FROM encounter_dups d
     WHERE NOT EXISTS (SELECT 1 FROM encounter_rejects r WHERE r.file_idx = d.file_idx AND r.line_no = d.line_no)`,
  );
}

/** Encounters read, loaded and rejected by reason; read must equal loaded + rejected and the files' non-blank lines. */
export async function countEncounters(db: PipelineDb, files: EncounterFileResult[]): Promise<ResourceCounts & { loadedDuplicatesRemoved: number }> {
  const rows = await db.rows<{ reason: string; n: bigint }>('count Encounter', 'SELECT reason, count(*) AS n FROM encounter_rejected GROUP BY reason ORDER BY reason');
  const rejectedByReason: Record<string, number> = {};
  for (const r of rows) rejectedByReason[r.reason] = Number(r.n);
  const rejected = rows.reduce((sum, r) => sum + Number(r.n), 0);
  const candidates = files.reduce((sum, f) => sum + f.candidates, 0);
  const fileRejects = files.reduce((sum, f) => sum + f.rejects, 0);
  // duplicates that were staged as events (not also in encounter_rejects)
  const removed = rejected - fileRejects;
  const loaded = candidates - removed;
  const read = files.reduce((sum, f) => sum + f.staged.lines - f.staged.blankLines, 0);
  if (read !== loaded + rejected || removed < 0) {
    throw new PipelineError(`Encounter: ${read} records read (non-blank lines), ${loaded} loaded + ${rejected} rejected: the counts do not reconcile; nothing published`, EXIT_BUILD_FAILED);
  }
  return { read, loaded, rejected, rejectedByReason, loadedDuplicatesRemoved: removed };
}
