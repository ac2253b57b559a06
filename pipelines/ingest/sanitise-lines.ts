/**
 * For the rare file DuckDB's line reader refuses (invalid UTF-8, or a line over its
 * `max_line_size`): copy it line by line and report which lines were broken. A line with invalid
 * UTF-8 is decoded with U+FFFD replacement characters; a line over `maxLineBytes` is cut to its
 * first `REJECTED_LINE_PREFIX` characters (control characters replaced, so it stays one line).
 * The copy keeps the line numbering, so those lines can be rejected (`invalid_utf8`,
 * `line_too_long`) and every other line loads normally.
 *
 * Memory stays bounded whatever the line: at most `maxLineBytes + 1` bytes of a line are kept
 * (enough to tell whether it is over the limit once a CR before its LF is not counted, as
 * DuckDB's reader does not count it; or the prefix's, if more), the rest is only counted.
 * The copy holds identifiers: it goes to the spill folder (private, deleted after the run) and is
 * written owner-only.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { REJECTED_LINE_PREFIX } from './read-lines.ts';

export interface SanitisedLines {
  /** Line numbers (1-based) whose bytes were not UTF-8. */
  invalidUtf8: number[];
  /** Line numbers (1-based) longer than the limit, CR of a CRLF not counted. */
  tooLong: number[];
}

/** A line's bytes, as they arrive in chunks: the first `keep` of them, its length and its last byte. */
class LineBytes {
  private parts: Buffer[] = [];
  private kept = 0;
  length = 0;
  last = -1;
  constructor(private readonly keep: number) {}
  add(b: Buffer): void {
    if (!b.length) return;
    this.length += b.length;
    this.last = b[b.length - 1]!;
    if (this.kept < this.keep) {
      const part = b.subarray(0, this.keep - this.kept);
      // a copy: the chunk it comes from is not ours to hold on to
      this.parts.push(Buffer.from(part));
      this.kept += part.length;
    }
  }
  take(): Buffer {
    const all = Buffer.concat(this.parts);
    this.parts = [];
    this.kept = 0;
    this.length = 0;
    this.last = -1;
    return all;
  }
}

/** The text the copy holds for a line that is too long: its first characters, one line, valid UTF-8. */
export function tooLongPlaceholder(start: Buffer): Buffer {
  let text = start.subarray(0, 4 * REJECTED_LINE_PREFIX).toString('utf8').slice(0, REJECTED_LINE_PREFIX);
  if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return Buffer.from(text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '\uFFFD'), 'utf8');
}

export async function sanitiseLines(source: string, target: string, maxLineBytes: number): Promise<SanitisedLines> {
  const input = createReadStream(source);
  const stream = source.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const out = createWriteStream(target, { mode: 0o600 });
  const result: SanitisedLines = { invalidUtf8: [], tooLong: [] };
  // enough bytes to tell an over-long line (a CR before the LF is not counted), and for its prefix
  const line = new LineBytes(Math.max(maxLineBytes + 1, 4 * REJECTED_LINE_PREFIX));
  let lineNo = 0;
  const emit = async () => {
    lineNo++;
    const bytes = line.length - (line.last === 0x0d ? 1 : 0);
    let text = line.take();
    if (bytes > maxLineBytes) {
      result.tooLong.push(lineNo);
      text = tooLongPlaceholder(text);
    } else if (!isUtf8(text)) {
      result.invalidUtf8.push(lineNo);
      text = Buffer.from(text.toString('utf8'), 'utf8');
    }
    if (!out.write(Buffer.concat([text, Buffer.from('\n')]))) await once(out, 'drain');
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        line.add(chunk.subarray(start, nl));
        await emit();
        start = nl + 1;
      }
      line.add(chunk.subarray(start));
    }
    if (line.length > 0) await emit();
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return result;
}
