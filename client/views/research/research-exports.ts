import { parseResearch, researchParams, type ResearchState } from './research-url.ts';
import { EXPORT_MEASURE_LABELS, exportCategoryLabel, exportColumnLabel } from '../../../domain/export-labels.ts';
import { serviceName } from '../../lib/areas.ts';

type Obj = Record<string, unknown>;

/** The id of a new export, wherever the server puts it (`id` or `exportId`). */
export function exportIdOf(created: unknown): string | null {
  if (typeof created !== 'object' || created === null) return null;
  const o = created as Obj;
  const id = o.id ?? o.exportId;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(id) ? id : null;
}

/**
 * One line of "Your exports": its request restored as view state (so the link reopens the form
 * and the preview together) and a readable label.
 */
export function exportSummaryOf(x: Obj, current: ResearchState): { state: ResearchState; label: string; detail: string } {
  const id = exportIdOf(x) ?? '';
  const req = typeof x.request === 'object' && x.request !== null ? (x.request as Obj) : {};
  const entries: [string, string][] = [];
  for (const k of ['service', 'measure', 'from', 'to'] as const) if (typeof req[k] === 'string') entries.push([k, req[k] as string]);
  if (Array.isArray(req.by)) entries.push(['by', req.by.join(',')]);
  const p = new URLSearchParams(entries);
  const state = { ...parseResearch(p, { from: current.from, to: current.to }), exportId: id || null };
  const when = typeof x.createdAt === 'string' ? x.createdAt.replace('T', ' ').slice(0, 16) : '';
  const by = Array.isArray(req.by) ? req.by.map((d) => exportColumnLabel(String(d)).replace(/ \(.*\)$/, '')).join(' × ') : '';
  const words = [typeof req.service === 'string' ? serviceName(req.service) : null, typeof req.measure === 'string' ? (EXPORT_MEASURE_LABELS[req.measure] ?? req.measure).toLowerCase() : null];
  const label = words.filter((v): v is string => v !== null).join(', ') || id;
  const period = typeof req.from === 'string' && typeof req.to === 'string' ? `${exportCategoryLabel('month', req.from)} to ${exportCategoryLabel('month', req.to)}` : '';
  const detail = [by && `by ${by}`, period, when && `made ${when} UTC`, typeof x.rows === 'number' ? `${x.rows} rows` : '']
    .filter(Boolean)
    .join('; ');
  return { state: parseResearch(researchParams(state), { from: current.from, to: current.to }), label, detail: detail ? ` – ${detail}` : '' };
}

