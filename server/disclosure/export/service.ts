import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { AGE_BAND_CODES } from '../../../domain/age-bands.ts';
import { buildPublishedTable, type PublishedTable } from './build-table.ts';
import { categoriesOf } from './categories.ts';
import type { ExportOptions } from './limits.ts';
import { buildMetadata, type ExportMetadata } from './metadata.ts';
import { researchEvents, researchPatients, researchPersonYears, type RawRow } from './query.ts';
import type { ExportRequest } from './request.ts';
import type { ExportRecord, ExportStore } from './store.ts';

/** Which warehouse tables each measure reads (all filtered to the research allow-list). */
export function tablesNeeded(r: ExportRequest): string[] {
  if (r.measure === 'patients') return ['events', 'research_allowlist'];
  if (r.measure === 'count') return ['rollups'];
  return ['rollups', 'population'];
}

/** Runs the research queries and applies disclosure control; nothing unprotected leaves here. */
export async function computeTable(ctx: AppContext, r: ExportRequest, options: ExportOptions): Promise<PublishedTable> {
  const w = { service: r.service, from: r.from, to: r.to };
  const categories = r.by.map((d) => categoriesOf(d, r));
  let counts: RawRow[];
  let personYears: RawRow[] | undefined;
  if (r.measure === 'patients') {
    counts = await researchPatients(ctx, w, r.by);
  } else if (r.measure === 'dsr') {
    // Age bands are the standardisation strata: queried as an extra last dimension, never published.
    counts = await researchEvents(ctx, w, [...r.by, 'age_band']);
    personYears = await researchPersonYears(ctx, w, [...r.by, 'age_band']);
    const known = new Set<string>(AGE_BAND_CODES);
    for (const row of [...counts, ...personYears]) if (!known.has(row.key.at(-1) ?? '')) throw new Error(`unknown age band ${row.key.at(-1)}`);
  } else {
    counts = await researchEvents(ctx, w, r.by);
    if (r.measure === 'crude_rate') personYears = await researchPersonYears(ctx, w, r.by);
  }
  return buildPublishedTable({ measure: r.measure, dims: r.by, categories, counts, personYears }, options.disclosure);
}

export async function createExport(
  ctx: AppContext,
  store: ExportStore,
  user: { name: string; role: string },
  r: ExportRequest,
  options: ExportOptions,
): Promise<{ record: ExportRecord; metadata: ExportMetadata }> {
  const table = await computeTable(ctx, r, options);
  const id = randomUUID();
  const createdAt = new Date(options.now?.() ?? Date.now()).toISOString();
  const record: ExportRecord = {
    id,
    owner: user.name,
    role: user.role,
    createdAt,
    request: r,
    rows: table.rows.length,
    suppressed: { primary: table.suppression.primary, secondary: table.suppression.secondary },
    sourceRunId: ctx.warehouse.runId,
  };
  const metadata = buildMetadata(
    { id, createdAt, createdBy: user.name, request: r, sourceRunId: ctx.warehouse.runId, finishedAt: ctx.warehouse.finishedAt },
    table,
    options.disclosure,
  );
  await store.save(record, table, metadata);
  return { record, metadata };
}
