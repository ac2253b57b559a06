/**
 * Serving several published warehouses as one (DESIGN.md section 12): each exemplar builds its
 * own warehouse where its record lives, and the server reads the union. Every patient lives in
 * exactly one region, so when no region is in two members every table of the union is the table
 * a single build over all the records would have written, and every sum, distinct count and
 * disclosure-controlled figure over it is exact. What has to be checked, and what does not
 * union by itself, is here; `open-warehouse.ts` creates the views.
 */
import { REGIONS, stpsOfRegion, type RegionCode } from '../../domain/geography.ts';
import type { MemberInfo } from './info.ts';
import { WarehouseError } from './member.ts';

const REGION_INDEX = new Map<string, number>(REGIONS.map((r, i) => [r.code, i]));
const REGION_NAME = new Map<string, string>(REGIONS.map((r) => [r.code, r.name]));

export const isRegionCode = (code: string): code is RegionCode => REGION_INDEX.has(code);

/** Members in REGIONS order of their first region, so the served run id does not depend on the order of the flags. */
export function memberOrder(a: Pick<MemberInfo, 'regions'>, b: Pick<MemberInfo, 'regions'>): number {
  const first = (m: Pick<MemberInfo, 'regions'>) => Math.min(...m.regions.map((r) => REGION_INDEX.get(r) ?? REGIONS.length));
  return first(a) - first(b);
}

export function sortRegions(codes: readonly string[]): string[] {
  return [...codes].sort((a, b) => (REGION_INDEX.get(a) ?? REGIONS.length) - (REGION_INDEX.get(b) ?? REGIONS.length) || a.localeCompare(b));
}

export function regionLabel(codes: readonly string[]): string {
  return codes.map((c) => REGION_NAME.get(c) ?? c).join(', ');
}

/** Tables without which the union would silently miss a member's patients: all members or none. */
const ALL_OR_NONE = ['events', 'patients', 'research_allowlist'];

/**
 * Refuses, with a one-line reason, members that cannot be served as one: a folder given twice,
 * different schema versions or opt-out policies, a region in two members (its figures would
 * be counted twice), different table columns, or no month that every member covers.
 */
export function checkFederation(members: readonly (MemberInfo & { realDir: string; columns: ReadonlyMap<string, string> })[]): void {
  const seen = new Map<string, string>();
  for (const m of members) {
    const before = seen.get(m.realDir);
    if (before) throw new WarehouseError(`federation: the same warehouse is given twice: ${before} and ${m.dir}`);
    seen.set(m.realDir, m.dir);
  }
  const differ = (what: string, value: (m: MemberInfo) => unknown, hint: string) => {
    const byValue = new Map<string, string[]>();
    for (const m of members) {
      const v = value(m);
      const key = v === null || v === undefined ? 'none' : String(v);
      byValue.set(key, [...(byValue.get(key) ?? []), m.dir]);
    }
    if (byValue.size > 1) {
      const list = [...byValue].map(([v, dirs]) => `${v} (${dirs.join(', ')})`).join('; ');
      throw new WarehouseError(`federation: the warehouses have different ${what}: ${list}; ${hint}`);
    }
  };
  differ('schema versions', (m) => m.schemaVersion, 'rebuild them with the same pipeline version');
  differ('opt-out policies', (m) => m.optOutPolicy, 'planning figures would count opted-out patients in some regions only');
  for (const t of ALL_OR_NONE) differ(`${t}/ tables`, (m) => (m.tables.includes(t) ? 'present' : 'missing'), `rebuild the ones without ${t}/`);
  for (const m of members) {
    for (const [table, cols] of m.columns) {
      const ref = members.find((o) => o.columns.has(table))!;
      if (cols !== ref.columns.get(table)) throw new WarehouseError(`federation: the columns of ${table}/ differ between ${ref.dir} and ${m.dir}; rebuild them with the same pipeline version`);
    }
  }

  const holder = new Map<string, string>();
  for (const m of members) {
    if (m.regions.length === 0) throw new WarehouseError(`federation: ${m.dir} holds no region`);
    for (const r of m.regions) {
      if (!isRegionCode(r)) throw new WarehouseError(`federation: ${m.dir} holds an unknown region ${JSON.stringify(r.slice(0, 40))}`);
      const other = holder.get(r);
      if (other) throw new WarehouseError(`federation: region ${r} is in two warehouses, ${other} and ${m.dir}; each region may be served from one only`);
      holder.set(r, m.dir);
    }
  }
  if (!servedPeriod(members)) {
    throw new WarehouseError(`federation: no month is covered by every warehouse (${members.map((m) => `${m.dir}: ${m.period.from} to ${m.period.to}`).join('; ')})`);
  }
}

/**
 * The months every member covers. Members built at different times may end in different months;
 * serving the span instead would show a member's region falling to zero after its last month
 * (and forecast from those zeros), so the dashboard offers only the common months and the Data
 * view shows each member's own period.
 */
export function servedPeriod(members: readonly Pick<MemberInfo, 'period'>[]): { from: string; to: string } | null {
  const from = members.map((m) => m.period.from).sort().at(-1)!;
  const to = members.map((m) => m.period.to).sort()[0]!;
  return from <= to ? { from, to } : null;
}

/** The forecasts rows a member may contribute: its own regions and their STPs (a member's batch forecasts also hold zero series for the regions it does not have). */
export function ownAreas(regions: readonly string[]): { regions: string[]; stps: string[] } {
  const own = regions.filter(isRegionCode);
  return { regions: own, stps: own.flatMap((r) => stpsOfRegion(r).map((s) => s.code)) };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Numbers summed, objects merged key by key (a key missing in a member counts as absent, as a
 * reject reason never seen), any other value kept if every member agrees, else dropped.
 */
export function sumCounts(values: readonly unknown[]): unknown {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length === 0) return undefined;
  if (present.every((v) => typeof v === 'number')) return (present as number[]).reduce((a, b) => a + b, 0);
  if (present.every(isObj)) {
    const keys = [...new Set(present.flatMap((o) => Object.keys(o)))];
    const out: Obj = {};
    for (const k of keys) {
      const v = sumCounts(present.map((o) => o[k]));
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return present.every((v) => JSON.stringify(v) === JSON.stringify(present[0])) ? present[0] : undefined;
}

function same<T>(values: readonly T[]): T | undefined {
  return values.every((v) => JSON.stringify(v) === JSON.stringify(values[0])) ? values[0] : undefined;
}

const minOf = (xs: readonly (string | null)[]) => xs.filter((x): x is string => x !== null).sort()[0] ?? null;
const maxOf = (xs: readonly (string | null)[]) => xs.filter((x): x is string => x !== null).sort().at(-1) ?? null;

/**
 * The union's run, counts and manifest. Counts are sums over the members (exact: no patient,
 * record or table row is in two members), except the forecasts' rows, which are those served.
 * The manifest has the single-warehouse layout at the top (old clients keep working) and every
 * member's own manifest under `members`.
 */
export function combineMembers(
  members: readonly MemberInfo[],
  period: { from: string; to: string },
  forecasts: { rows: number; series: number } | null,
): { manifest: Obj; runId: string; keyId: string | null; finishedAt: string | null; counts: Obj | null } {
  const runId = members.map((m) => m.runId ?? 'unknown').join('+');
  const keyIds = members.map((m) => m.keyId);
  const keyId = keyIds.every((k) => k !== null && k === keyIds[0]) ? keyIds[0]! : null;
  const finishedAt = members.some((m) => m.finishedAt === null) ? null : maxOf(members.map((m) => m.finishedAt));
  const summed = sumCounts(members.map((m) => m.counts));
  const counts = isObj(summed) ? summed : null;
  if (counts && isObj(counts.tables)) {
    counts.tables = { ...counts.tables, forecasts: forecasts?.rows ?? 0 };
  }
  const mf = members.map((m) => m.manifest);
  const statuses = mf.map((m) => (isObj(m.forecasts) ? m.forecasts.status : undefined));
  const manifest: Obj = {
    schemaVersion: members[0]!.schemaVersion,
    runId,
    startedAt: minOf(mf.map((m) => (typeof m.startedAt === 'string' ? m.startedAt : null))),
    finishedAt,
    codeVersion: same(mf.map((m) => m.codeVersion)),
    keyId,
    optOutPolicy: members[0]!.optOutPolicy,
    asOf: same(mf.map((m) => m.asOf)),
    reference: same(mf.map((m) => m.reference)),
    ...(counts ?? {}),
    eventPartitions: sumCounts(mf.map((m) => m.eventPartitions)),
    period,
    forecasts: { status: same(statuses) ?? 'partial', series: forecasts?.series ?? 0, rows: forecasts?.rows ?? 0 },
    members: members.map((m) => ({ label: m.label, regions: m.regions, ...m.manifest })),
  };
  for (const k of Object.keys(manifest)) if (manifest[k] === undefined) delete manifest[k];
  return { manifest, runId, keyId, finishedAt, counts };
}
