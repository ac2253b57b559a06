/** A fixture server with the audit options the audit tests need (state folder, anchor file, head timer, log stream). */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/start.ts';
import type { AuditEntry, FileAuditLog } from '../../server/audit/index.ts';
import { tempDir, testAuthStore, TOKENS } from '../server/helpers.ts';

export { TOKENS };

/** Pino output kept in memory, one parsed object a line. */
export class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const l of chunk.toString('utf8').split('\n')) if (l) this.lines.push(JSON.parse(l) as Record<string, unknown>);
    done();
  }
}

export interface AuditServer extends RunningServer {
  root: string;
  warehouseDir: string;
  stateDir: string;
  log: FileAuditLog;
  logLines: LogLines;
  cleanup(): Promise<void>;
}

/** `stateDir` and `anchorFile` are relative to a fresh temp folder; the warehouse is the hand-checked fixture. */
export async function startAuditServer(o: { stateDir?: string; anchorFile?: string; headIntervalMs?: number; warehouseDir?: string } & Partial<StartOptions> = {}): Promise<AuditServer> {
  const root = tempDir('lhcre-audit-srv-');
  const warehouseDir = o.warehouseDir ?? path.join(root, 'warehouse');
  if (!o.warehouseDir) await buildFixtureWarehouse(warehouseDir);
  const stateDir = path.join(root, o.stateDir ?? 'state');
  const logLines = new LogLines();
  const running = await startServer({
    warehouseDir,
    auth: testAuthStore(),
    port: 0,
    staticDir: o.staticDir ?? null,
    stateDir,
    logger: pino({ level: 'info' }, logLines),
    threads: 1,
    auditAnchorFile: o.anchorFile ? path.join(root, o.anchorFile) : undefined,
    auditHeadIntervalMs: o.headIntervalMs,
  });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= running.close());
  return {
    ...running,
    root,
    warehouseDir,
    stateDir,
    log: running.ctx.audit as FileAuditLog,
    logLines,
    close,
    async cleanup() {
      await close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` returns something, or fails after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined> | T | null | undefined, what: string, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Entries after seq `after`, oldest first. */
export async function entriesAfter(log: FileAuditLog, after: number): Promise<AuditEntry[]> {
  const { entries } = await log.read({ limit: 1000 });
  return entries.filter((e) => e.seq > after).reverse();
}
