/**
 * Every input line, numbered, as a DuckDB relation `(file_idx, line_no, line)`, so that nothing
 * is lost: a truncated or non-JSON line is still a row (rejected later as `invalid_json`), and a
 * reject can name its line. DuckDB's CSV reader does the I/O (parallel, gzip by extension) with
 * a delimiter that valid JSON never contains raw, so each line is one VARCHAR field.
 * `row_number() OVER ()` runs as a streaming window over the reader's order, which is the file's.
 * `new_line = '\r\n'` ends a line at LF or CRLF; with '\n' DuckDB also breaks at the CR of a
 * CRLF, which would add empty lines and shift every line number after it.
 */
import { sqlString } from './db.ts';

/** U+0001: JSON strings must escape control characters, so a raw one can only occur in a broken line. */
const DELIM = 'chr(1)';

export function linesSql(file: string, fileIdx: number): string {
  if (!Number.isInteger(fileIdx) || fileIdx < 0) throw new RangeError(`bad file index ${fileIdx}`);
  const reader = `read_csv(${sqlString(file)}, columns = {'line': 'VARCHAR'}, delim = ${DELIM}, quote = '', escape = '',
    header = false, auto_detect = false, strict_mode = false, new_line = '\\r\\n', parallel = false)`;
  return `SELECT ${fileIdx}::USMALLINT AS file_idx, row_number() OVER () AS line_no, line FROM ${reader}`;
}

/** True when DuckDB refused a file for invalid UTF-8 (we then re-read a sanitised copy). */
export function isInvalidUnicodeError(e: unknown): boolean {
  return /invalid unicode/i.test(String((e as Error)?.message ?? e));
}
