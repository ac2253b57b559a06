/**
 * Every input line, numbered, as a DuckDB relation `(file_idx, line_no, line)`, so that nothing
 * is lost: a truncated or non-JSON line is still a row (rejected later as `invalid_json`), and a
 * reject can name its line. DuckDB's CSV reader does the I/O (parallel, gzip by extension) with
 * a delimiter that valid JSON never contains raw, so each line is one VARCHAR field.
 * `row_number() OVER ()` runs as a streaming window over the reader's order, which is the file's.
 * `new_line = '\r\n'` ends a line at LF or CRLF; with '\n' DuckDB also breaks at the CR of a
 * CRLF, which would add empty lines and shift every line number after it.
 *
 * Line length: a record longer than `MAX_LINE_BYTES` is rejected as `line_too_long`, never loaded
 * and never parsed. The reader's own limit (`max_line_size`) is twice ours, so a line between the
 * two is read and rejected in SQL (`lineTooLongSql`); a longer one makes the reader fail for the
 * whole file (DuckDB's "CSV Error on Line: N ... Maximum line size"), and the file is then re-read
 * from a copy made in Node in which each such line is cut to its first `REJECTED_LINE_PREFIX`
 * characters (`sanitiseLines`), so one giant line costs one reject, not the run.
 */
import { sqlString } from './db.ts';

/** U+0001: JSON strings must escape control characters, so a raw one can only occur in a broken line. */
const DELIM = 'chr(1)';

/**
 * The longest record we read, in bytes without its line end: 2 MiB. Every line DuckDB's default
 * reader accepted (under 2,000,000 bytes) still loads; a FHIR Patient or Encounter near this size
 * is a broken export (a giant string), not a record to count.
 */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;

/** DuckDB's `max_line_size` for our reader: above `MAX_LINE_BYTES`, so our limit is the one that decides. */
export const READER_MAX_LINE_SIZE = 2 * MAX_LINE_BYTES;

/** What the quarantine keeps of a `line_too_long` record: its first characters, as text (the file and line say where the rest is). */
export const REJECTED_LINE_PREFIX = 1000;

export function linesSql(file: string, fileIdx: number): string {
  if (!Number.isInteger(fileIdx) || fileIdx < 0) throw new RangeError(`bad file index ${fileIdx}`);
  const reader = `read_csv(${sqlString(file)}, columns = {'line': 'VARCHAR'}, delim = ${DELIM}, quote = '', escape = '',
    header = false, auto_detect = false, strict_mode = false, new_line = '\\r\\n', parallel = false, max_line_size = ${READER_MAX_LINE_SIZE})`;
  return `SELECT ${fileIdx}::USMALLINT AS file_idx, row_number() OVER () AS line_no, line FROM ${reader}`;
}

/** True for a line (a VARCHAR expression) longer than `MAX_LINE_BYTES` (`strlen` counts bytes). */
export function lineTooLongSql(line: string): string {
  return `coalesce(strlen(${line}) > ${MAX_LINE_BYTES}, false)`;
}

/** True when DuckDB refused a file for invalid UTF-8 (we then re-read a sanitised copy). */
export function isInvalidUnicodeError(e: unknown): boolean {
  return /invalid unicode/i.test(String((e as Error)?.message ?? e));
}

/** True when DuckDB's reader met a line over its `max_line_size` (we then re-read a copy with that line cut). */
export function isLineTooLongError(e: unknown): boolean {
  return /maximum line size of \d+ bytes exceeded/i.test(String((e as Error)?.message ?? e));
}
