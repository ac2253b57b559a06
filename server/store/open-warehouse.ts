import { realpath } from 'node:fs/promises';
import type { Db } from '../db.ts';
import type { MemberInfo, WarehouseInfo } from './info.ts';
import type { QueryRegistry } from '../queries/registry.ts';
import { firstLine, sqlLiteral, probeMember, readMember, readParquetOf, TABLES, WarehouseError } from './member.ts';
import { checkFederation, combineMembers, memberOrder, ownAreas, regionLabel, servedPeriod, sortRegions } from './federation.ts';

export { WarehouseError } from './member.ts';

const inList = (codes: readonly string[]) => (codes.length ? codes.map(sqlLiteral).join(', ') : 'NULL');

/**
 * Validates the warehouse folder (or the folders of a federation: one per exemplar, see
 * `federation.ts`), creates one DuckDB table or view per warehouse table over the Parquet files
 * of every folder, and reads the manifests and the period served. Throws WarehouseError with a
 * one-line reason.
 */
export async function openWarehouse(
  db: Db,
  queries: QueryRegistry,
  dirArg: string | readonly string[],
  options: { loadIntoMemory?: boolean } = {},
): Promise<WarehouseInfo> {
  const load = options.loadIntoMemory ?? true;
  const dirs = typeof dirArg === 'string' ? [dirArg] : [...dirArg];
  if (dirs.length === 0) throw new WarehouseError('no warehouse folder given');

  const probed: (MemberInfo & { realDir: string; columns: ReadonlyMap<string, string> })[] = [];
  for (const d of dirs) {
    const m = await readMember(d);
    const { regions, period, columns } = await probeMember(db, m);
    if (!period) throw new WarehouseError(dirs.length === 1 ? 'rollups are empty: nothing to serve' : `rollups are empty: nothing to serve from ${m.dir}`);
    const sorted = sortRegions(regions);
    probed.push({ ...m, regions: sorted, label: regionLabel(sorted), period, realDir: await realpath(m.dir), columns });
  }
  const federated = probed.length > 1;
  if (federated) checkFederation(probed);
  const members: MemberInfo[] = probed.sort(memberOrder).map(({ realDir: _r, columns: _c, ...m }) => m);
  const memberDirs = members.map((m) => m.dir);

  const views: string[] = [];
  try {
    for (const t of TABLES) {
      const holders = members.filter((m) => m.tables.includes(t.name));
      if (holders.length === 0) continue;
      if (t.name === 'forecasts' && federated) {
        // A member's batch forecasts cover all five regions, zero series for those it does not
        // hold: each member contributes its own regions and STPs only.
        const parts = holders.map((m) => {
          const own = ownAreas(m.regions);
          return `SELECT * FROM ${readParquetOf(t, [m.dir])} WHERE (level = 'region' AND area_code IN (${inList(own.regions)})) OR (level = 'stp' AND area_code IN (${inList(own.stps)}))`;
        });
        await db.exec(`CREATE OR REPLACE VIEW ${t.name} AS ${parts.join(' UNION ALL ')}`);
      } else if (load && t.loadOrder) {
        await db.exec(`CREATE OR REPLACE TABLE ${t.name} AS SELECT * FROM ${readParquetOf(t, memberDirs)} ORDER BY ${t.loadOrder}`);
      } else {
        await db.exec(`CREATE OR REPLACE VIEW ${t.name} AS SELECT * FROM ${readParquetOf(t, memberDirs)}`);
      }
      views.push(t.name);
    }
  } catch (e) {
    throw new WarehouseError(`cannot read the warehouse${federated ? 's' : ''} ${memberDirs.join(', ')}: ${firstLine(e)}`);
  }

  if (!federated) {
    const m = members[0]!;
    const q = queries.prepare('meta/period', {});
    const [range] = await db.queryRows(q.sql, q.params);
    if (!range?.first_month || !range.last_month) throw new WarehouseError('rollups are empty: nothing to serve');
    return {
      manifest: m.manifest,
      runId: m.runId,
      keyId: m.keyId,
      finishedAt: m.finishedAt,
      counts: m.counts,
      period: { from: String(range.first_month).slice(0, 7), to: String(range.last_month).slice(0, 7) },
      views,
      members,
    };
  }

  // A pseudonym in two members is one person in two records (same key) or a collision between
  // two keys: either way distinct-patient counts and the research allow-list would be wrong.
  if (views.includes('patients')) {
    const [dup] = await db.queryRows('SELECT count(*) - count(DISTINCT pid) AS n FROM patients');
    const n = Number(dup?.n ?? 0);
    if (n > 0) throw new WarehouseError(`federation: ${n} patient pseudonym${n === 1 ? ' is' : 's are'} in more than one warehouse (the same patient in two records, or a collision between two keys); each patient may be in one only`);
  }
  const period = servedPeriod(members)!;
  let forecasts: { rows: number; series: number } | null = null;
  if (views.includes('forecasts')) {
    const [f] = await db.queryRows('SELECT count(*) AS n, count(DISTINCT (level, area_code, service)) AS series FROM forecasts');
    forecasts = { rows: Number(f?.n ?? 0), series: Number(f?.series ?? 0) };
  }
  return { ...combineMembers(members, period, forecasts), period, views, members };
}

