import type { Logger } from 'pino';
import type { Db } from './db.ts';
import type { QueryRegistry } from './queries/registry.ts';
import type { WarehouseInfo } from './store/info.ts';
import type { AuthStore } from './auth/auth-store.ts';

/**
 * The audit log is owned by the export helper (`server/audit/`); the server only needs to know
 * it can append. Declared structurally here so the context does not depend on unfinished code.
 */
export interface AuditLog {
  append(entry: Record<string, unknown>): Promise<void>;
}

export interface ServerConfig {
  /** Absolute, validated path of the warehouse folder. */
  warehouseDir: string;
  host: string;
  port: number;
  /** Absolute path of the built client (`dist/`), or null to serve the API only. */
  staticDir: string | null;
  /** Where the export helper may keep export files and the audit log (outside the warehouse). */
  stateDir: string;
}

/** Everything a route module needs, passed explicitly (no module-level singletons). */
export interface AppContext {
  db: Db;
  queries: QueryRegistry;
  warehouse: WarehouseInfo;
  auth: AuthStore;
  audit: AuditLog | null;
  logger: Logger;
  config: ServerConfig;
}
