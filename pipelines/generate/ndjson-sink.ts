/**
 * Writes one resource type as numbered NDJSON files (`Encounter.000.ndjson[.gz]`, a new file after
 * every `linesPerFile` lines). Producers write a record's lines into `bytes`, then `commit` them;
 * files rotate only between records, so one patient's lines never straddle two files. About 1 MB
 * is handed to the stream at a time, and the producer awaits `ready()`, so a slow disk or gzip
 * slows generation instead of growing memory.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ByteBuffer } from './byte-buffer.ts';

export interface SinkOptions {
  gzip: boolean;
  linesPerFile?: number | undefined;
  /** A single file of this name instead of numbered files. */
  fileName?: string;
  /** Put between the type and the number (`Encounter.<prefix>000.ndjson`): a shard's files, `03.`. */
  numberPrefix?: string;
}

const BATCH_BYTES = 1 << 20;
/** Lets the disk (and gzip, in libuv's thread pool) work on a few batches while the next is generated. */
const STREAM_BUFFER_BYTES = 8 << 20;

export class NdjsonSink {
  readonly files: string[] = [];
  readonly bytes = new ByteBuffer(BATCH_BYTES + (BATCH_BYTES >> 2));
  lines = 0;
  private readonly linesPerFile: number;
  private linesInFile = 0;
  private head: Writable | null = null;
  private readonly finished: Promise<unknown>[] = [];
  private blocked: Promise<unknown> | null = null;

  constructor(
    private readonly dir: string,
    private readonly resourceType: string,
    private readonly options: SinkOptions,
  ) {
    this.linesPerFile = options.fileName ? Number.MAX_SAFE_INTEGER : (options.linesPerFile ?? 1_000_000);
  }

  /** Call before writing a record's lines into `bytes`. */
  begin(): void {
    if (this.linesInFile >= this.linesPerFile) this.rotate();
  }

  /** The record's `lineCount` lines are complete in `bytes`. */
  commit(lineCount: number): void {
    this.lines += lineCount;
    this.linesInFile += lineCount;
    if (this.bytes.pos >= BATCH_BYTES) this.flush();
  }

  /** A whole record as text (ASCII, each line ending with a newline). */
  write(text: string, lineCount = 1): void {
    this.begin();
    this.bytes.text(text);
    this.commit(lineCount);
  }

  /** Resolves when the current stream can take more. */
  ready(): Promise<unknown> | null {
    return this.blocked;
  }

  async close(): Promise<void> {
    this.flush();
    if (this.head) {
      const head = this.head;
      this.head = null;
      head.end();
    }
    await Promise.all(this.finished);
  }

  private open(): Writable {
    const name = this.options.fileName ?? `${this.resourceType}.${this.options.numberPrefix ?? ''}${String(this.files.length).padStart(3, '0')}.ndjson${this.options.gzip ? '.gz' : ''}`;
    const file = path.join(this.dir, name);
    this.files.push(file);
    const out = createWriteStream(file, { highWaterMark: STREAM_BUFFER_BYTES });
    const closed = once(out, 'close');
    closed.catch(() => undefined); // observed in close(); avoid an unhandled rejection meanwhile
    this.finished.push(closed);
    if (!this.options.gzip) return out;
    // zlib streams are Transforms and honour highWaterMark, though ZlibOptions does not declare it.
    const gz = createGzip({ level: 6, ...({ highWaterMark: STREAM_BUFFER_BYTES } as object) });
    gz.on('error', (err) => out.destroy(err));
    gz.pipe(out);
    return gz;
  }

  private flush(): void {
    if (this.bytes.pos === 0) return;
    this.head ??= this.open();
    const head = this.head;
    const chunk = this.bytes.take();
    // The stream owns the chunk until its write callback (written to disk, or compressed).
    if (!head.write(chunk, () => this.bytes.recycle(chunk))) {
      this.blocked = once(head, 'drain').then(() => {
        this.blocked = null;
      });
    }
  }

  private rotate(): void {
    this.flush();
    if (this.head) {
      this.head.end();
      this.head = null;
      // An ending stream never emits 'drain': wait for the finished file instead.
      if (this.blocked) this.blocked = this.finished[this.finished.length - 1]!.then(() => (this.blocked = null));
    }
    this.linesInFile = 0;
  }
}
