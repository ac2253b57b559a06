import { readFile, stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { WarehouseInfo } from './info.ts';
import type { QueryRegistry } from '../queries/registry.ts';

/** Table -> how to read it. The rollups and denominators (both forms) are required to serve the dashboard. */
const TABLES: readonly { name: string; glob: string; hive?: string; required: boolean; loadOrder?: string }[] = [
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

async function hasParquet(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.some((e) => String(e).endsWith('.parquet'));
  } catch {
    return false;
  }
}

/** A SQL string literal for a path we validated ourselves (never request text). */
function pathLiteral(p: string): string {
  return `'${p.replace(/'/g, "''")}'`;
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

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * Validates the warehouse folder, creates one DuckDB view per table present, and reads the
 * manifest and the period covered. Throws WarehouseError with a one-line reason.
 */
export async function openWarehouse(
  db: Db,
  queries: QueryRegistry,
  dirArg: string,
  options: { loadIntoMemory?: boolean } = {},
): Promise<WarehouseInfo> {
  const load = options.loadIntoMemory ?? true;
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

  const views: string[] = [];
  for (const t of TABLES) {
    if (!(await hasParquet(path.join(dir, t.name)))) {
      if (t.required) throw new WarehouseError(`warehouse has no ${t.name}/ Parquet files: ${dir} (a warehouse from an older pipeline? run npm run pipeline again)`);
      continue;
    }
    const source = pathLiteral(path.join(dir, t.glob));
    const options = t.hive ? `, ${t.hive}` : '';
    if (load && t.loadOrder) {
      await db.exec(`CREATE OR REPLACE TABLE ${t.name} AS SELECT * FROM read_parquet(${source}${options}) ORDER BY ${t.loadOrder}`);
    } else {
      await db.exec(`CREATE OR REPLACE VIEW ${t.name} AS SELECT * FROM read_parquet(${source}${options})`);
    }
    views.push(t.name);
  }

  const q = queries.prepare('meta/period', {});
  const [range] = await db.queryRows(q.sql, q.params);
  if (!range?.first_month || !range.last_month) throw new WarehouseError('rollups are empty: nothing to serve');

  const counts = manifest.counts ?? countsOf(manifest);
  return {
    dir,
    manifest,
    runId: text(manifest.runId),
    keyId: text(manifest.keyId),
    finishedAt: text(manifest.finishedAt),
    counts: counts && typeof counts === 'object' ? (counts as Record<string, unknown>) : null,
    period: { from: String(range.first_month), to: String(range.last_month) },
    views,
  };
}
