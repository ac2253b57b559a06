/**
 * Writes one resource type as numbered NDJSON files (`Encounter.000.ndjson[.gz]`, a new file after
 * every `linesPerFile` lines). Lines are batched into ~1 MB strings, and the producer awaits `ready()`
 * so a slow disk or gzip slows generation instead of growing memory.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';

export interface SinkOptions {
  gzip: boolean;
  linesPerFile?: number | undefined;
  /** A single file of this name instead of numbered files. */
  fileName?: string;
}

const BATCH_CHARS = 1 << 20;

export class NdjsonSink {
  readonly files: string[] = [];
  lines = 0;
  private readonly linesPerFile: number;
  private linesInFile = 0;
  private buffer = '';
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

  /**
   * `text` holds `lineCount` whole lines, each ending with a newline. Files rotate between calls,
   * so one patient's lines never straddle two files (a file may exceed the limit by one batch).
   */
  write(text: string, lineCount = 1): void {
    if (this.linesInFile >= this.linesPerFile) this.rotate();
    this.buffer += text;
    this.lines += lineCount;
    this.linesInFile += lineCount;
    if (this.buffer.length >= BATCH_CHARS) this.flush();
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
    const name = this.options.fileName ?? `${this.resourceType}.${String(this.files.length).padStart(3, '0')}.ndjson${this.options.gzip ? '.gz' : ''}`;
    const file = path.join(this.dir, name);
    this.files.push(file);
    const out = createWriteStream(file);
    const closed = once(out, 'close');
    closed.catch(() => undefined); // observed in close(); avoid an unhandled rejection meanwhile
    this.finished.push(closed);
    if (!this.options.gzip) return out;
    const gz = createGzip({ level: 6 });
    gz.on('error', (err) => out.destroy(err));
    gz.pipe(out);
    return gz;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.head ??= this.open();
    const head = this.head;
    // Everything we write is ASCII, and latin1 encodes a one-byte string fastest.
    if (!head.write(this.buffer, 'latin1')) {
      this.blocked = once(head, 'drain').then(() => {
        this.blocked = null;
      });
    }
    this.buffer = '';
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
