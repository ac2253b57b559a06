/**
 * For the rare file DuckDB refuses as invalid UTF-8: copy it line by line, decoding each broken
 * line with U+FFFD replacement characters, and report which lines were broken. The copy keeps
 * the line numbering, so those lines can be rejected as `invalid_utf8` and every other line
 * loads normally. The copy holds identifiers: it goes to the spill folder, deleted after the run.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';

export async function sanitiseUtf8(source: string, target: string): Promise<number[]> {
  const input = createReadStream(source);
  const stream = source.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const out = createWriteStream(target);
  const bad: number[] = [];
  let lineNo = 0;
  let carry: Buffer = Buffer.alloc(0);
  const emit = async (line: Buffer) => {
    lineNo++;
    let text: Buffer = line;
    if (!isUtf8(line)) {
      bad.push(lineNo);
      text = Buffer.from(line.toString('utf8'), 'utf8');
    }
    if (!out.write(Buffer.concat([text, Buffer.from('\n')]))) await once(out, 'drain');
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      await emit(buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
    }
    carry = Buffer.from(buf);
  }
  if (carry.length > 0) await emit(carry);
  out.end();
  await once(out, 'finish');
  return bad;
}
