import { mkdir, open, readFile, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { sealEntry, GENESIS_HASH, type AuditEntry, type AuditEvent } from './chain.ts';
import { appendAnchor, DEFAULT_HEAD_INTERVAL_MS, type AnchorRecord } from './anchors.ts';
import { verifyAuditChain, type ChainStatus, type HeadRecord } from './verify.ts';
import { parseStrictObject } from './strict-json.ts';
import { auditFacets, matchesAuditFilter, type AuditFilter } from './filter.ts';

export interface AuditLogOptions {
  /** Called with each new head (seq, hash). */
  onAppend?: (head: HeadRecord) => void;
  now?: () => Date;
  /**
   * Where the head is anchored on open, every `headIntervalMs` when it moved, and on close
   * (anchors.ts). Put it on another disk or host; null: no anchor file (tests, tools).
   */
  anchorFile?: string | null;
  /** Period of the head record in the pino log and the anchor file; default 60 s; 0: only on open and close. */
  headIntervalMs?: number;
  /** The server's pino log: the head goes there too (on open, on each tick, on close), and any trouble. */
  logger?: Pick<Logger, 'info' | 'error'>;
}

/**
 * Append-only JSONL audit log with a hash chain (chain.ts). The server only ever appends: the
 * file is opened with O_APPEND, appends are serialised through one promise queue so concurrent
 * requests cannot interleave, and the head record (last seq and hash) is replaced atomically
 * after each append. The head is also written outside the log (anchor file and pino log), so a
 * truncation or a consistent rewrite of the log and head.json is visible to `audit:verify`.
 */
export class FileAuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private anchorQueue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastAnchored: HeadRecord | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly file: string,
    readonly headFile: string,
    private handle: FileHandle,
    private seq: number,
    private lastHash: string,
    /** Bytes the file should have: anything else means someone else wrote to it. */
    private size: number,
    readonly statusAtOpen: ChainStatus,
    private readonly options: AuditLogOptions,
  ) {}

  static async open(dir: string, options: AuditLogOptions = {}): Promise<FileAuditLog> {
    const interval = options.headIntervalMs ?? DEFAULT_HEAD_INTERVAL_MS;
    // setInterval turns anything above 2^31 - 1 ms into 1 ms.
    if (!Number.isSafeInteger(interval) || interval < 0 || interval > 2_147_483_647) {
      throw new RangeError(`headIntervalMs ${interval} is not a whole number of milliseconds from 0 to 2^31 - 1`);
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'audit.jsonl');
    const headFile = path.join(dir, 'head.json');
    const status = await verifyAuditChain(file, headFile, { anchorFile: options.anchorFile ?? undefined });
    // Resume from the file's real last line even if the chain is broken, so the break stays
    // visible at its place instead of being papered over.
    const { seq, hash, endsWithNewline } = await lastEntry(file);
    const handle = await open(file, 'a', 0o600);
    // A cut-off last line stays where it is (verify reports it); our entries start on a line of their own.
    if (!endsWithNewline) await handle.write('\n');
    const size = (await handle.stat()).size;
    const log = new FileAuditLog(file, headFile, handle, seq, hash, size, status, options);
    await log.startAnchoring();
    return log;
  }

  append(event: AuditEvent | Record<string, unknown>): Promise<void> {
    if (this.closing) return Promise.reject(new Error('the audit log is closed'));
    const next = this.queue.then(() => this.write(event as AuditEvent));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending appends (tests, shutdown). */
  async flush(): Promise<void> {
    await this.queue;
    await this.anchorQueue;
  }

  /** The current head (last seq and hash written). */
  head(): HeadRecord {
    return { seq: this.seq, hash: this.lastHash };
  }

  /** The periodic head timer (null when none runs); unref'd, so it never keeps the process alive. */
  get headTimer(): NodeJS.Timeout | null {
    return this.timer;
  }

  /** Finishes pending appends, stops the timer, anchors the final head (event `close`) and closes the file. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue;
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      await this.anchor('close').catch(() => undefined);
      await this.anchorQueue;
      await this.handle.close();
    })();
    return this.closing;
  }

  verify(): Promise<ChainStatus> {
    return this.flush().then(() => verifyAuditChain(this.file, this.headFile, { anchorFile: this.options.anchorFile ?? undefined }));
  }

  /**
   * Entries newest first; `before` is a seq to page backwards from; `filter` keeps the entries
   * that match it (`matched` counts them, `facets` lists every user and endpoint in the log).
   */
  async read(options: { limit: number; before?: number; filter?: AuditFilter }): Promise<{ total: number; matched: number; facets: { users: string[]; endpoints: string[] }; entries: AuditEntry[] }> {
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
    const f = options.filter ?? {};
    const matching = all.filter((e) => matchesAuditFilter(e, f));
    const filtered = options.before === undefined ? matching : matching.filter((e) => e.seq < options.before!);
    return { total: all.length, matched: matching.length, facets: auditFacets(all), entries: filtered.slice(-options.limit).reverse() };
  }

  private async write(event: AuditEvent): Promise<void> {
    const entry = sealEntry(event, this.seq + 1, this.lastHash, (this.options.now ?? (() => new Date()))());
    const line = JSON.stringify(entry) + '\n';
    await this.handle.write(line);
    this.size += Buffer.byteLength(line);
    this.seq = entry.seq;
    this.lastHash = entry.hash;
    const head: HeadRecord = { seq: entry.seq, hash: entry.hash };
    const tmp = `${this.headFile}.tmp`;
    await writeFile(tmp, JSON.stringify(head), { mode: 0o600 });
    await rename(tmp, this.headFile);
    this.options.onAppend?.(head);
  }

  private async startAnchoring(): Promise<void> {
    const logger = this.options.logger;
    if (!this.statusAtOpen.ok) {
      logger?.error({ auditChain: this.statusAtOpen, file: this.file }, `audit log check failed at start: ${this.statusAtOpen.problem?.reason ?? 'broken'}`);
    }
    await this.anchor('start');
    const interval = this.options.headIntervalMs ?? DEFAULT_HEAD_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => void this.tick(), interval);
      this.timer.unref();
    }
  }

  private async tick(): Promise<void> {
    try {
      // In the append queue, so no write of ours is half done while we look.
      const check = this.queue.then(async () => ({ found: (await stat(this.file)).size, expected: this.size }));
      this.queue = check.catch(() => undefined);
      const { found, expected } = await check;
      if (found !== expected) {
        this.options.logger?.error({ file: this.file, expectedBytes: expected, foundBytes: found }, 'audit log changed outside the server (run npm run audit:verify)');
      }
      await this.anchor('tick');
    } catch (err) {
      this.options.logger?.error({ err }, 'audit head anchoring failed');
    }
  }

  /** The head to the pino log, and to the anchor file unless a tick finds it unchanged. */
  private anchor(event: AnchorRecord['event']): Promise<void> {
    const job = async () => {
      const head = this.head();
      this.options.logger?.info({ auditHead: head, event, anchorFile: this.options.anchorFile ?? null }, 'audit head');
      const unchanged = this.lastAnchored?.seq === head.seq && this.lastAnchored.hash === head.hash;
      if (!this.options.anchorFile || (event === 'tick' && unchanged)) return;
      await appendAnchor(this.options.anchorFile, { ...head, time: (this.options.now ?? (() => new Date()))().toISOString(), event });
      this.lastAnchored = head;
    };
    const next = this.anchorQueue.then(job);
    this.anchorQueue = next.catch(() => undefined);
    return next;
  }
}

async function lastEntry(file: string): Promise<{ seq: number; hash: string; endsWithNewline: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { seq: 0, hash: GENESIS_HASH, endsWithNewline: true };
    throw e;
  }
  const endsWithNewline = text.length === 0 || text.endsWith('\n');
  const lines = text.split('\n').filter((l) => l.length > 0);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const e = parseStrictObject(lines[i]!) as Partial<AuditEntry>;
      if (typeof e.seq === 'number' && typeof e.hash === 'string') return { seq: e.seq, hash: e.hash, endsWithNewline };
    } catch {
      // An unreadable line is reported by verify; keep looking for the last readable one.
    }
  }
  return { seq: 0, hash: GENESIS_HASH, endsWithNewline };
}
