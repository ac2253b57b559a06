/**
 * Rejected records, with their identifiers, go to the quarantine folder (beside the warehouse,
 * never in it; owner-only, folders 0700 and files 0600): one `<input file>.rejects.ndjson` per input file that had rejects, each line
 * `{reason, file, line, record}` where `record` is the original JSON, or the raw text when the
 * line was not JSON, or for `line_too_long` its first `REJECTED_LINE_PREFIX` characters as text
 * (the file and line say where the rest is). Only files with rejects are read a second time.
 */
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { FINAL_TABLE } from './counts.ts';
import { sqlString, type PipelineDb } from './db.ts';
import { linesSql, REJECTED_LINE_PREFIX } from './read-lines.ts';
import type { StagedFile } from './stage.ts';

export async function writeQuarantine(db: PipelineDb, files: StagedFile[], dir: string): Promise<{ file: string; rejects: number }[]> {
  const written: { file: string; rejects: number }[] = [];
  for (const f of files) {
    const table = FINAL_TABLE[f.resourceType];
    const n = Number(await db.scalar<bigint>('quarantine', `SELECT count(*) FROM ${table} WHERE file_idx = $idx AND reason IS NOT NULL`, { idx: f.fileIdx }));
    if (n === 0) continue;
    const out = path.join(dir, `${f.file.replace(/\.gz$/, '')}.rejects.ndjson`.replace(/\.ndjson\.rejects/, '.rejects'));
    await db.run(
      'quarantine',
      `COPY (
         SELECT r.reason, $file AS file, r.line_no AS line,
           CASE WHEN r.reason = 'line_too_long' THEN to_json(left(l.line, ${REJECTED_LINE_PREFIX}))
             WHEN json_valid(l.line) THEN l.line::JSON ELSE to_json(l.line) END AS record
         FROM (SELECT file_idx, line_no, reason FROM ${table} WHERE file_idx = $idx AND reason IS NOT NULL) r
         JOIN (${linesSql(f.readPath, f.fileIdx)}) l USING (line_no)
         ORDER BY r.line_no
       ) TO ${sqlString(out)} (FORMAT json)`,
      { idx: f.fileIdx, file: f.file },
    );
    // DuckDB creates files with the umask's mode; these hold NHS numbers (the folder is 0700 too)
    chmodSync(out, 0o600);
    written.push({ file: path.basename(out), rejects: n });
  }
  return written;
}
