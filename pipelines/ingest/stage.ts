/**
 * Reads every input file of the consumed types into its staging table, one file per statement
 * (so line numbers restart per file). A file DuckDB's line reader refuses (invalid UTF-8, or a
 * line over its `max_line_size`) is re-read from a sanitised copy and its broken lines rejected as
 * `invalid_utf8` or `line_too_long`.
 */
import path from 'node:path';
import { createStageConditionSql, stageConditionsSql } from './condition-sql.ts';
import type { PipelineDb } from './db.ts';
import { createStageEncounterSql, FAST_PATH_UNSURE, stageEncountersFastSql, stageEncountersSql } from './encounter-sql.ts';
import type { InputFile, InputScans } from './inputs.ts';
import { createStagePatientSql, stagePatientsSql } from './patient-sql.ts';
import type { ResourceType } from './reasons.ts';
import { isInvalidUnicodeError, isLineTooLongError, linesSql, MAX_LINE_BYTES } from './read-lines.ts';
import { sanitiseLines } from './sanitise-lines.ts';

export interface StagedFile extends InputFile {
  resourceType: ResourceType;
  fileIdx: number;
  /** The path DuckDB read (a sanitised copy for a file with invalid UTF-8). */
  readPath: string;
  lines: number;
  blankLines: number;
  invalidUtf8Lines: number;
}

const STAGE: Record<ResourceType, { table: string; create: string; insert: (lines: string) => string }> = {
  Patient: { table: 'stage_patient', create: createStagePatientSql, insert: stagePatientsSql },
  Encounter: { table: 'stage_encounter', create: createStageEncounterSql, insert: stageEncountersSql },
  Condition: { table: 'stage_condition', create: createStageConditionSql, insert: stageConditionsSql },
};

/** The shared staging tables of Patient and Condition (Encounter files are staged one at a time: `encounter-files.ts`). */
export async function createStageTables(db: PipelineDb): Promise<void> {
  for (const t of ['Patient', 'Condition'] as const) await db.run('create staging', STAGE[t].create);
}

export async function stageFile(
  db: PipelineDb, file: InputFile & { resourceType: ResourceType }, fileIdx: number, asOf: string, spillDir: string, scan: InputScans,
): Promise<StagedFile> {
  const stage = STAGE[file.resourceType];
  if (file.resourceType === 'Encounter') {
    const lines = await stageEncountersFast(db, file, fileIdx, asOf, scan);
    if (lines !== null) return { ...file, resourceType: file.resourceType, fileIdx, readPath: file.path, lines, blankLines: 0, invalidUtf8Lines: 0 };
  }
  const insert = (from: string) => {
    const sql = stage.insert(linesSql(from, fileIdx));
    return db.run(`stage ${file.file}`, sql, sql.includes('$as_of') ? { as_of: asOf } : undefined);
  };
  let readPath = file.path;
  let invalidUtf8Lines = 0;
  try {
    await insert(readPath);
  } catch (e) {
    if (!isInvalidUnicodeError(e) && !isLineTooLongError(e)) throw e;
    readPath = path.join(spillDir, `lines-${fileIdx}.ndjson`);
    const broken = await sanitiseLines(file.path, readPath, MAX_LINE_BYTES);
    await insert(readPath);
    for (const [reason, lines] of [['invalid_utf8', broken.invalidUtf8], ['line_too_long', broken.tooLong]] as const) {
      if (!lines.length) continue;
      await db.run(
        `stage ${file.file}`,
        `UPDATE ${stage.table} SET reason = '${reason}' WHERE file_idx = $idx AND line_no IN (SELECT unnest($lines::BIGINT[]))`,
        { idx: fileIdx, lines: `[${lines.join(',')}]` },
      );
    }
    invalidUtf8Lines = broken.invalidUtf8.length;
  }
  const [c] = await db.rows<{ lines: bigint | null; blank: bigint }>(
    `count ${file.file}`,
    `SELECT max(line_no) AS lines, count(*) FILTER (WHERE reason = 'blank_line') AS blank FROM ${stage.table} WHERE file_idx = $idx`,
    { idx: fileIdx },
  );
  return { ...file, resourceType: file.resourceType, fileIdx, readPath, lines: Number(c?.lines ?? 0), blankLines: Number(c?.blank ?? 0), invalidUtf8Lines };
}

/**
 * Encounter files are most of the input: first try `stageEncountersFastSql`, in a transaction
 * that is kept only when the file passed its checks (as many rows as lines, none unsure).
 * Returns the file's lines, or null when the file must go the line-by-line way (any error of
 * the reader included: a broken line, a wrong JSON type, invalid UTF-8, ...).
 */
async function stageEncountersFast(db: PipelineDb, file: InputFile, fileIdx: number, asOf: string, scan: InputScans): Promise<number | null> {
  // counted in Node (in the same read that hashes the file) while DuckDB reads the file; null for
  // a file with a CR byte or a line over MAX_LINE_BYTES, which only the line-by-line path handles
  const counting = scan.fastPathLines(file.path);
  counting.catch(() => {}); // awaited in the try below; this only stops a failed count going unhandled when DuckDB fails first
  await db.run('begin', 'BEGIN TRANSACTION');
  let lines: number | null = null;
  let trusted = false;
  try {
    await db.run(`stage ${file.file}`, stageEncountersFastSql(file.path, fileIdx), { as_of: asOf });
    lines = await counting;
    const [c] = await db.rows<{ n: bigint; unsure: bigint }>(
      `count ${file.file}`,
      `SELECT count(*) AS n, count(*) FILTER (WHERE reason = '${FAST_PATH_UNSURE}') AS unsure FROM stage_encounter WHERE file_idx = $idx`,
      { idx: fileIdx },
    );
    trusted = lines !== null && Number(c?.n) === lines && Number(c?.unsure) === 0;
  } catch {
    // the reader refused the file: the line-by-line path says which lines and why
  }
  if (!trusted || lines === null) {
    await db.run('rollback', 'ROLLBACK');
    return null;
  }
  await db.run('commit', 'COMMIT');
  return lines;
}

/**
 * Stages the Patient and Condition files, `concurrency` at a time on separate connections: numbering a file's lines
 * keeps its statement on one thread, so several files at once is how the cores are used.
 * Results come back in input order whatever order the files finish in.
 */
export async function stageAll(
  db: PipelineDb,
  files: (InputFile & { resourceType: ResourceType; fileIdx: number })[],
  o: { asOf: string; spillDir: string; concurrency: number; scan: InputScans; onDone?: (file: InputFile, records: number) => void },
): Promise<StagedFile[]> {
  const results: StagedFile[] = new Array(files.length);
  // Biggest first, so one large file does not start last and run alone.
  const queue = files.map((f, i) => ({ f, i })).sort((a, b) => b.f.bytes - a.f.bytes || a.i - b.i);
  const workers = await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, files.length)) }, () => db.fork()));
  try {
    await Promise.all(
      workers.map(async (conn) => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const staged = await stageFile(conn, next.f, next.f.fileIdx, o.asOf, o.spillDir, o.scan);
          results[next.i] = staged;
          o.onDone?.(next.f, staged.lines - staged.blankLines);
        }
      }),
    );
  } finally {
    for (const w of workers) w.close();
  }
  return results;
}
