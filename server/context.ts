import type { Logger } from 'pino';
import type { Db } from './db.ts';
import type { QueryRegistry } from './queries/registry.ts';
import type { WarehouseInfo } from './store/info.ts';
import type { AuthStore } from './auth/auth-store.ts';

/** What routes need of the audit log (`server/audit/`): appending. Tests may pass their own. */
export interface AuditLog {
  append(entry: Record<string, unknown>): Promise<void>;
}

export interface ServerConfig {
  /** Absolute, validated paths of the warehouse folder, or of the members of a federation (REGIONS order). */
  warehouseDirs: readonly string[];
  host: string;
  port: number;
  /** Absolute path of the built client (`dist/`), or null to serve the API only. */
  staticDir: string | null;
  /** Where export files and the audit log are kept (outside the warehouse). */
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
