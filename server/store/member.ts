import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { MemberInfo } from './info.ts';

/** A warehouse table and how to read it. The rollups and denominators (both forms) are required to serve the dashboard. */
export interface TableSpec {
  name: string;
  glob: string;
  hive?: string;
  required: boolean;
  loadOrder?: string;
}

export const TABLES: readonly TableSpec[] = [
  // The dashboard's fast path is loaded into memory, sorted so a service's rows sit together
  // (its size is bounded by the number of cells, not by patients or events).
  { name: 'rollups', glob: 'rollups/**/*.parquet', required: true, loadOrder: 'service, month' },
  { name: 'population', glob: 'population/**/*.parquet', required: true, loadOrder: 'year' },
  // The same without the IMD decile (pipelines/build/area-tables.ts): ~10x smaller, read by every
  // query that neither groups nor filters by deprivation.
  { name: 'rollups_by_area', glob: 'rollups_by_area/**/*.parquet', required: true, loadOrder: 'service, month' },
  { name: 'population_by_area', glob: 'population_by_area/**/*.parquet', required: true, loadOrder: 'year' },
  { name: 'events', glob: 'events/**/*.parquet', hive: "hive_partitioning = true, hive_types = {'region': VARCHAR, 'year': SMALLINT}", required: false },
  { name: 'patients', glob: 'patients/**/*.parquet', required: false },
  { name: 'research_allowlist', glob: 'research_allowlist/**/*.parquet', required: false },
  { name: 'forecasts', glob: 'forecasts/**/*.parquet', required: false },
];

export class WarehouseError extends Error {
  override readonly name = 'WarehouseError';
}

/** A SQL string literal for a path or code we validated ourselves (never request text). */
export function sqlLiteral(p: string): string {
  return `'${p.replace(/'/g, "''")}'`;
}

/** `read_parquet(...)` over one table of the given warehouse folders (validated paths only). */
export function readParquetOf(table: TableSpec, dirs: readonly string[]): string {
  const files = dirs.map((d) => sqlLiteral(path.join(d, table.glob)));
  const source = files.length === 1 ? files[0]! : `[${files.join(', ')}]`;
  return `read_parquet(${source}${table.hive ? `, ${table.hive}` : ''})`;
}

async function hasParquet(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.some((e) => String(e).endsWith('.parquet'));
  } catch {
    return false;
  }
}

/** The pipeline's manifest keeps counts under resources (in/loaded/rejected), tables and optOut. */
function countsOf(m: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const k of ['resources', 'tables', 'optOut']) if (m[k] && typeof m[k] === 'object') out[k] = m[k];
  if (out.optOut) {
    // Only the numbers: the opt-out entry also names its file.
    out.optOut = Object.fromEntries(Object.entries(out.optOut as Record<string, unknown>).filter(([, v]) => typeof v === 'number'));
  }
  return Object.keys(out).length ? out : null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** First line only: DuckDB's messages can run over several lines, refusals are one. */
export const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/^DuckDB failed: /, '');

/**
 * One published warehouse folder: validated, its manifest read, the tables it has. Throws
 * WarehouseError with a one-line reason naming the folder.
 */
export async function readMember(dirArg: string): Promise<Omit<MemberInfo, 'regions' | 'period' | 'label'>> {
  const dir = path.resolve(dirArg);
  if (/[\0\n\r]/.test(dir)) throw new WarehouseError('warehouse path contains control characters');
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new WarehouseError(`warehouse folder not found: ${dir}`);

  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new WarehouseError(`cannot read ${path.join(dir, 'manifest.json')}: ${(e as Error).message}`);
  }
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw new WarehouseError(`cannot read ${path.join(dir, 'manifest.json')}: not a JSON object`);

  const tables: string[] = [];
  for (const t of TABLES) {
    if (await hasParquet(path.join(dir, t.name))) tables.push(t.name);
    else if (t.required) throw new WarehouseError(`warehouse has no ${t.name}/ Parquet files: ${dir} (a warehouse from an older pipeline? run npm run pipeline again)`);
  }
  const counts = manifest.counts ?? countsOf(manifest);
  return {
    dir,
    manifest,
    runId: text(manifest.runId),
    keyId: text(manifest.keyId),
    finishedAt: text(manifest.finishedAt),
    counts: counts && typeof counts === 'object' ? (counts as Record<string, unknown>) : null,
    schemaVersion: typeof manifest.schemaVersion === 'number' ? manifest.schemaVersion : null,
    optOutPolicy: text(manifest.optOutPolicy),
    tables,
  };
}

/**
 * What a member holds, read from its own files: the regions in its rollups and population, the
 * months of its rollups, and a signature of each table's columns (every file's footer is read,
 * so a truncated or foreign file is refused at start-up rather than failing a request).
 */
export async function probeMember(db: Db, m: Pick<MemberInfo, 'dir' | 'tables'>): Promise<{ regions: string[]; period: { from: string; to: string } | null; columns: Map<string, string> }> {
  const spec = (name: string) => TABLES.find((t) => t.name === name)!;
  const columns = new Map<string, string>();
  let current = '';
  try {
    for (const name of m.tables) {
      current = name;
      const glob = sqlLiteral(path.join(m.dir, spec(name).glob));
      const rows = await db.queryRows(`SELECT DISTINCT name, type, converted_type FROM parquet_schema(${glob}) WHERE type IS NOT NULL ORDER BY ALL`);
      columns.set(name, rows.map((r) => `${String(r.name)} ${String(r.type)} ${String(r.converted_type)}`).join(', '));
    }
    current = 'rollups';
    const regions = await db.queryRows(
      `SELECT region FROM ${readParquetOf(spec('rollups'), [m.dir])} UNION SELECT region FROM ${readParquetOf(spec('population'), [m.dir])} ORDER BY 1`,
    );
    const [range] = await db.queryRows(`SELECT min(month) AS first_month, max(month) AS last_month FROM ${readParquetOf(spec('rollups'), [m.dir])}`);
    const period = range?.first_month && range.last_month ? { from: String(range.first_month).slice(0, 7), to: String(range.last_month).slice(0, 7) } : null;
    return { regions: regions.map((r) => String(r.region)), period, columns };
  } catch (e) {
    throw new WarehouseError(`cannot read the ${current}/ Parquet files of ${m.dir}: ${firstLine(e)}`);
  }
}
