import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import type { AppContext } from './context.ts';
import { defaultAnchorFile, headIntervalFromEnv, openAuditLog, type FileAuditLog } from './audit/index.ts';
import { Db } from './db.ts';
import { loadQueryRegistry } from './queries/registry.ts';
import { openWarehouse } from './store/open-warehouse.ts';
import { loadAuthStore, type AuthStore } from './auth/auth-store.ts';
import { createApp } from './app.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SQL_DIR = path.join(REPO_ROOT, 'sql');

export interface StartOptions {
  /** A warehouse folder, or several: a federation served as their union (`store/federation.ts`). */
  warehouseDir: string | readonly string[];
  /** Auth config file, or an AuthStore already built (tests). */
  auth: string | AuthStore;
  port?: number;
  host?: string;
  staticDir?: string | null;
  stateDir?: string;
  logger?: Logger;
  threads?: number;
  memoryLimit?: string;
  /** Where the audit head is anchored (default: AUDIT_ANCHOR_FILE, else `<stateDir>/audit-anchors.jsonl`). */
  auditAnchorFile?: string;
  /** How often the audit head goes to the pino log and the anchor file (default: AUDIT_HEAD_INTERVAL_MS, else 60 s). */
  auditHeadIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  server: Server;
  close(): Promise<void>;
}

/** Builds the context (DuckDB, views, queries, auth) and listens; 127.0.0.1 unless told. */
export async function startServer(o: StartOptions): Promise<RunningServer> {
  const logger = o.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const auth = typeof o.auth === 'string' ? await loadAuthStore(o.auth) : o.auth;
  const headIntervalMs = o.auditHeadIntervalMs ?? headIntervalFromEnv();
  // One DuckDB thread per query: dashboard queries are small, and parallelism comes from serving
  // several requests at once on the connection pool (threads fight each other on a busy 2-core box).
  const db = await Db.open({ threads: o.threads ?? 1, memoryLimit: o.memoryLimit ?? '1GB' });
  let audit: FileAuditLog | null = null;
  try {
    const queries = await loadQueryRegistry(SQL_DIR);
    const warehouse = await openWarehouse(db, queries, o.warehouseDir);
    const stateDir = path.resolve(o.stateDir ?? path.join(REPO_ROOT, '.state'));
    if (warehouse.members.length > 1) {
      logger.info({ members: warehouse.members.map((m) => ({ regions: m.regions, runId: m.runId, keyId: m.keyId, period: m.period })), period: warehouse.period }, 'serving a federation of warehouses');
    }
    const config = {
      warehouseDirs: warehouse.members.map((m) => m.dir),
      host: o.host ?? '127.0.0.1',
      port: o.port ?? 0,
      staticDir: o.staticDir ?? null,
      stateDir,
    };
    const anchorFile = path.resolve(o.auditAnchorFile ?? (process.env.AUDIT_ANCHOR_FILE || defaultAnchorFile(stateDir)));
    audit = await openAuditLog(stateDir, { anchorFile, headIntervalMs, logger });
    const ctx: AppContext = { db, queries, warehouse, auth, audit, logger, config };
    const app = await createApp(ctx);
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    const port = (server.address() as AddressInfo).port;
    return {
      url: `http://${config.host}:${port}`,
      port,
      ctx,
      server,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        // After the last response: its entry is appended, then the final head is anchored.
        await audit?.close();
        await db.close();
      },
    };
  } catch (e) {
    await audit?.close().catch(() => undefined);
    await db.close();
    throw e;
  }
}
