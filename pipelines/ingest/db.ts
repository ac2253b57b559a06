/**
 * The pipeline's one DuckDB instance (in-process, in-memory, spilling to `spillDir`). Every
 * statement goes through `run`/`rows` with bound `$name` parameters; failures keep the SQL's
 * label so a log says which step broke.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export interface PipelineDbOptions {
  threads: number;
  memoryLimit: string;
  /** Where DuckDB spills: holds identifiable data, so never inside the warehouse. */
  spillDir: string;
  /** DuckDB's `max_temp_directory_size`: the spill never grows beyond it (a statement that needs more fails). */
  maxTempSize?: string;
}

export type Params = Record<string, DuckDBValue>;

export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(
    readonly step: string,
    options: { cause: unknown },
  ) {
    super(`${step}: ${(options.cause as Error).message}`, options);
  }
}

/** `LHCRE_PIPELINE_PROFILE=1`: every statement's label and wall time on stderr (for finding where a run's time goes). */
const PROFILE = process.env.LHCRE_PIPELINE_PROFILE === '1';

async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE) return work();
  const t = performance.now();
  try {
    return await work();
  } finally {
    process.stderr.write(`[profile] ${step}: ${((performance.now() - t) / 1000).toFixed(3)} s\n`);
  }
}

export class PipelineDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly ownsInstance = true,
  ) {}

  static async open(o: PipelineDbOptions): Promise<PipelineDb> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(o.threads),
      memory_limit: o.memoryLimit,
      temp_directory: o.spillDir,
      ...(o.maxTempSize ? { max_temp_directory_size: o.maxTempSize } : {}),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Output order is fixed by explicit ORDER BY; elsewhere order does not matter and this saves memory.
      preserve_insertion_order: 'false',
    });
    const conn = await instance.connect();
    await conn.run("SET TimeZone = 'UTC'");
    return new PipelineDb(instance, conn);
  }

  async run(step: string, sql: string, params?: Params): Promise<void> {
    try {
      await timed(step, () => this.conn.run(sql, params));
    } catch (cause) {
      throw new StepError(step, { cause });
    }
  }

  async rows<T = Record<string, unknown>>(step: string, sql: string, params?: Params): Promise<T[]> {
    try {
      const reader = await timed(step, () => this.conn.runAndReadAll(sql, params));
      return reader.getRowObjectsJS() as T[];
    } catch (cause) {
      throw new StepError(step, { cause });
    }
  }

  async scalar<T>(step: string, sql: string, params?: Params): Promise<T> {
    const [row] = await this.rows<Record<string, T>>(step, sql, params);
    return Object.values(row ?? {})[0] as T;
  }

  /** Another connection to the same database, for statements that run side by side (one file each). */
  async fork(): Promise<PipelineDb> {
    const conn = await this.instance.connect();
    await conn.run("SET TimeZone = 'UTC'");
    return new PipelineDb(this.instance, conn, false);
  }

  close(): void {
    this.conn.closeSync();
    if (!this.ownsInstance) return;
    this.instance.closeSync();
  }
}

/** A SQL string literal for a path we chose (file names come from our own directory listing). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
