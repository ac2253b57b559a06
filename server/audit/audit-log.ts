import { mkdir, open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { sealEntry, GENESIS_HASH, type AuditEntry, type AuditEvent } from './chain.ts';
import { verifyAuditChain, type ChainStatus, type HeadRecord } from './verify.ts';

export interface AuditLogOptions {
  /** Called with each new head (seq, hash): the server logs it, so the chain is anchored outside the file. */
  onAppend?: (head: HeadRecord) => void;
  now?: () => Date;
}

/**
 * Append-only JSONL audit log with a hash chain (chain.ts). The server only ever appends: the
 * file is opened with O_APPEND, appends are serialised through one promise queue so concurrent
 * requests cannot interleave, and the head record (last seq and hash) is replaced atomically
 * after each append.
 */
export class FileAuditLog {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly headFile: string,
    private handle: FileHandle,
    private seq: number,
    private lastHash: string,
    readonly statusAtOpen: ChainStatus,
    private readonly options: AuditLogOptions,
  ) {}

  static async open(dir: string, options: AuditLogOptions = {}): Promise<FileAuditLog> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'audit.jsonl');
    const headFile = path.join(dir, 'head.json');
    const status = await verifyAuditChain(file, headFile);
    // Resume from the file's real last line even if the chain is broken, so the break stays
    // visible at its place instead of being papered over.
    const { seq, hash } = await lastEntry(file);
    const handle = await open(file, 'a', 0o600);
    return new FileAuditLog(file, headFile, handle, seq, hash, status, options);
  }

  append(event: AuditEvent | Record<string, unknown>): Promise<void> {
    const next = this.queue.then(() => this.write(event as AuditEvent));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending appends (tests, shutdown). */
  async flush(): Promise<void> {
    await this.queue;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }

  verify(): Promise<ChainStatus> {
    return this.queue.then(() => verifyAuditChain(this.file, this.headFile));
  }

  /** Entries newest first; `before` is a seq to page backwards from. */
  async read(options: { limit: number; before?: number }): Promise<{ total: number; entries: AuditEntry[] }> {
    await this.flush();
    const text = await readFile(this.file, 'utf8');
    const all = text
      .split('\n')
      .filter((l) => l.length > 0)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as AuditEntry];
        } catch {
          return [];
        }
      });
    const filtered = options.before === undefined ? all : all.filter((e) => e.seq < options.before!);
    return { total: all.length, entries: filtered.slice(-options.limit).reverse() };
  }

  private async write(event: AuditEvent): Promise<void> {
    const entry = sealEntry(event, this.seq + 1, this.lastHash, (this.options.now ?? (() => new Date()))());
    await this.handle.write(JSON.stringify(entry) + '\n');
    this.seq = entry.seq;
    this.lastHash = entry.hash;
    const head: HeadRecord = { seq: entry.seq, hash: entry.hash };
    const tmp = `${this.headFile}.tmp`;
    await writeFile(tmp, JSON.stringify(head), { mode: 0o600 });
    await rename(tmp, this.headFile);
    this.options.onAppend?.(head);
  }
}

async function lastEntry(file: string): Promise<{ seq: number; hash: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { seq: 0, hash: GENESIS_HASH };
    throw e;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const e = JSON.parse(lines[i]!) as AuditEntry;
      if (typeof e.seq === 'number' && typeof e.hash === 'string') return { seq: e.seq, hash: e.hash };
    } catch {
      // An unreadable line is reported by verify; keep looking for the last readable one.
    }
  }
  return { seq: 0, hash: GENESIS_HASH };
}
