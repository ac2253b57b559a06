import type { AppContext } from '../../context.ts';
import { dimensionSlots } from '../../queries/dimensions.ts';
import { trustedIdentifier, trustedSql, type TrustedSql } from '../../queries/trusted-sql.ts';
import type { ExportDimension } from './request.ts';

/** One row of a query result: category labels in dimension order (null = total), and a value. */
export interface RawRow {
  key: (string | null)[];
  value: number;
}

export interface Window {
  service: string;
  from: string;
  to: string;
}

/** The same labels as categories.ts: months as YYYY-MM, everything else as text. */
function label(dim: ExportDimension, v: unknown): string {
  if (v === null || v === undefined) throw new Error(`query returned no ${dim} for a cell`);
  if (dim === 'month') return String(v).slice(0, 7);
  return String(v);
}

function toRows(rows: Record<string, unknown>[], dims: readonly ExportDimension[], valueCol: string): RawRow[] {
  return rows.map((r) => ({
    key: dims.map((d, i) => (r[`total_${i}`] !== undefined && Number(r[`total_${i}`]) === 1 ? null : label(d, r[d]))),
    value: Number(r[valueCol] ?? 0),
  }));
}

const firstOfMonth = (ym: string) => `${ym}-01`;

async function run(ctx: AppContext, id: string, params: Record<string, string>, slots: Record<string, TrustedSql>): Promise<Record<string, unknown>[]> {
  const def = ctx.queries.get(id);
  const used = Object.fromEntries(Object.entries(slots).filter(([k]) => def.slots.includes(k)));
  const q = ctx.queries.prepare(id, params, used);
  return ctx.db.queryRows(q.sql, q.params);
}

/** Research events per interior cell (rollups.research_events). */
export async function researchEvents(ctx: AppContext, w: Window, dims: readonly ExportDimension[]): Promise<RawRow[]> {
  const rows = await run(ctx, 'exports/research_events', { service: w.service, from: firstOfMonth(w.from), to: firstOfMonth(w.to) }, dimensionSlots(dims));
  return toRows(rows, dims, 'count');
}

/** Research person-years per interior cell (population.research_population). */
export async function researchPersonYears(ctx: AppContext, w: Window, dims: readonly ExportDimension[]): Promise<RawRow[]> {
  const rows = await run(ctx, 'exports/research_person_years', { from: firstOfMonth(w.from), to: firstOfMonth(w.to) }, dimensionSlots(dims));
  return toRows(rows, dims, 'person_years');
}

/** Distinct research patients for every cell and margin (GROUP BY CUBE). */
export async function researchPatients(ctx: AppContext, w: Window, dims: readonly ExportDimension[]): Promise<RawRow[]> {
  const names = dims.map((d) => trustedIdentifier(d));
  const slots: Record<string, TrustedSql> = {
    ...dimensionSlots(dims),
    grouping_flags: trustedSql(names.map((n, i) => `GROUPING(${n}) AS total_${i}, `).join('')),
    cube: trustedSql(names.length ? `GROUP BY CUBE (${names.join(', ')})` : ''),
  };
  const rows = await run(ctx, 'exports/research_patients', { service: w.service, from: firstOfMonth(w.from), to: firstOfMonth(w.to) }, slots);
  return toRows(rows, dims, 'patients');
}
