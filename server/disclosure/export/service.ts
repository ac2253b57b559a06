import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { AGE_BAND_CODES } from '../../../domain/age-bands.ts';
import { publishTable, type PublishedTable, type WindowBlock } from './build-table.ts';
import { yearBlocks } from './blocks.ts';
import { categoriesOf, monthsInWindow } from './categories.ts';
import type { ExportOptions } from './limits.ts';
import { buildMetadata, type ExportMetadata } from './metadata.ts';
import { protectBlock } from './protect-block.ts';
import { researchEvents, researchPatients, researchPersonYears, type RawRow, type Window } from './query.ts';
import type { ExportDimension, ExportRequest } from './request.ts';
import type { ExportRecord, ExportStore } from './store.ts';

/** Which warehouse tables each measure reads (all filtered to the research allow-list). */
export function tablesNeeded(r: ExportRequest): string[] {
  if (r.measure === 'patients') return ['events', 'research_allowlist'];
  if (r.measure === 'count') return ['rollups'];
  return ['rollups', 'population'];
}

const TIME_DIMS = new Set<ExportDimension>(['month', 'year']);

/** The research population per cell of `dims` in a block: person-years over the block x 12 / months. */
async function blockPopulation(ctx: AppContext, w: Window, months: number, dims: readonly ExportDimension[]): Promise<RawRow[]> {
  const rows = await researchPersonYears(ctx, w, dims);
  return rows.map((r) => ({ key: r.key, value: Math.round((r.value * 12) / months) }));
}

/**
 * Runs the research queries block by block (whole calendar years, blocks.ts), protects each
 * block on its own, and publishes the window from the protected blocks only; nothing
 * unprotected leaves here.
 */
export async function computeTable(ctx: AppContext, r: ExportRequest, options: ExportOptions): Promise<PublishedTable> {
  const categories = r.by.map((d) => categoriesOf(d, r));
  const popDims = r.by.filter((d) => !TIME_DIMS.has(d));
  const known = new Set<string>(AGE_BAND_CODES);
  const blocks: WindowBlock[] = [];
  for (const b of yearBlocks(r.from, r.to)) {
    const w: Window = { service: r.service, from: b.from, to: b.to };
    const blockCategories = r.by.map((d) => categoriesOf(d, b));
    let counts: RawRow[];
    let population: RawRow[] | undefined;
    if (r.measure === 'patients') counts = await researchPatients(ctx, w, r.by);
    else if (r.measure === 'dsr') {
      // Age bands are the standardisation strata: queried as an extra last dimension, never published.
      counts = await researchEvents(ctx, w, [...r.by, 'age_band']);
      population = await blockPopulation(ctx, w, b.months, [...popDims, 'age_band']);
      for (const row of [...counts, ...population]) if (!known.has(row.key.at(-1) ?? '')) throw new Error(`unknown age band ${row.key.at(-1)}`);
    } else {
      counts = await researchEvents(ctx, w, r.by);
      if (r.measure === 'crude_rate') population = await blockPopulation(ctx, w, b.months, popDims);
    }
    const block = protectBlock({ measure: r.measure, dims: r.by, categories: blockCategories, months: b.months, counts, population }, options.disclosure);
    blocks.push({ year: b.year, months: monthsInWindow(b), block });
  }
  const unionPatients =
    r.measure === 'patients' && blocks.length > 1 ? await researchPatients(ctx, { service: r.service, from: r.from, to: r.to }, popDims) : undefined;
  return publishTable({ measure: r.measure, dims: r.by, categories, blocks, unionPatients }, options.disclosure);
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
