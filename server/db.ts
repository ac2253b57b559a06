import { DuckDBInstance, type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBValue } from '@duckdb/node-api';
import { tableToIPC, type Table } from 'apache-arrow';
import { tableFromDuckDBResult, rowsFromDuckDBResult } from './db-arrow.ts';

/** A bound parameter: only plain scalars cross into SQL, always via `$name`. */
export type SqlParam = string | number | boolean | bigint | null;
export type SqlParams = Record<string, SqlParam>;

export interface DbOptions {
  /** DuckDB worker threads (explicit: the machine is shared). */
  threads?: number;
  /** e.g. '1GB'. */
  memoryLimit?: string;
  /** Connections in the pool; queries beyond this wait their turn. */
  connections?: number;
}

/** Keeps the failing query's id/text and the DuckDB cause, so logs say what failed (never sent to clients). */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(message: string, readonly sql: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const SIZE_RE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * The one DuckDB wrapper: one instance per process, a small pool of connections (DuckDB runs
 * one query per connection at a time), prepared statements bound by name and destroyed in
 * `finally`. Nothing else in the server touches DuckDB directly.
 */
export class Db {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private closed = false;

  private constructor(private readonly instance: DuckDBInstance, connections: DuckDBConnection[]) {
    this.idle.push(...connections);
  }

  static async open(options: DbOptions = {}): Promise<Db> {
    const threads = options.threads ?? 2;
    const memoryLimit = options.memoryLimit ?? '1GB';
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`threads must be 1-64, got ${threads}`);
    if (!SIZE_RE.test(memoryLimit)) throw new RangeError(`memoryLimit must look like '1GB', got ${memoryLimit}`);
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      memory_limit: memoryLimit,
      // The server only reads the warehouse; nothing may reach the network or install code.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const pool: DuckDBConnection[] = [];
    for (let i = 0; i < (options.connections ?? 4); i++) {
      const c = await instance.connect();
      // ICU's setting, so per connection rather than in the instance config.
      await c.run("SET TimeZone = 'UTC'");
      pool.push(c);
    }
    return new Db(instance, pool);
  }

  /** Runs trusted DDL (view creation at start-up). Never call with request text. */
  async exec(sql: string): Promise<void> {
    await this.withConnection(async (c) => {
      try {
        await c.run(sql);
      } catch (cause) {
        throw new QueryError(`DuckDB failed: ${(cause as Error).message}`, sql, { cause });
      }
    });
  }

  async queryTable(sql: string, params: SqlParams = {}): Promise<Table> {
    return tableFromDuckDBResult(await this.run(sql, params));
  }

  /** Arrow IPC stream bytes, the wire format for data. */
  async queryArrow(sql: string, params: SqlParams = {}): Promise<Uint8Array> {
    return tableToIPC(await this.queryTable(sql, params), 'stream');
  }

  /** Row objects with BIGINT as bigint and DATE as 'YYYY-MM-DD' strings. */
  async queryRows(sql: string, params: SqlParams = {}): Promise<Record<string, unknown>[]> {
    return rowsFromDuckDBResult(await this.run(sql, params));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.closeSync();
    this.instance.closeSync();
  }

  private async run(sql: string, params: SqlParams): Promise<DuckDBMaterializedResult> {
    return this.withConnection(async (c) => {
      let prepared;
      try {
        prepared = await c.prepare(sql);
        const names = new Set<string>();
        for (let i = 1; i <= prepared.parameterCount; i++) names.add(prepared.parameterName(i));
        for (const name of names) {
          if (!(name in params)) throw new Error(`missing bind parameter $${name}`);
        }
        const values: Record<string, DuckDBValue> = {};
        for (const name of names) values[name] = params[name] as DuckDBValue;
        if (names.size > 0) prepared.bind(values);
        return await prepared.run();
      } catch (cause) {
        throw new QueryError(`DuckDB failed: ${(cause as Error).message}`, sql, { cause });
      } finally {
        prepared?.destroySync();
      }
    });
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('database is closed');
    const c = this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(c);
    } finally {
      const next = this.waiting.shift();
      if (next) next(c);
      else this.idle.push(c);
    }
  }
}
