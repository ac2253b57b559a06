/**
 * The pipeline manifest (warehouse/manifest.json as GET /api/manifest returns it), read
 * defensively: researchers get a counts-only subset, and older runs may lack newer sections.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface ResourceCounts {
  resource: string;
  read: number | null;
  loaded: number | null;
  rejected: number | null;
  /** null: withheld (1-7) in a researcher's disclosure-controlled view. */
  reasons: { reason: string; count: number | null }[];
}

export interface ManifestView {
  summary: { label: string; value: string }[];
  inputs: { file: string; resourceType: string; bytes: number | null; lines: number | null; sha256: string }[];
  resources: ResourceCounts[];
  tables: { table: string; rows: number | null }[];
  optOut: { listed: number | null; matched: number | null; allowlisted: number | null; share: number | null; policy: string } | null;
  timings: { step: string; seconds: number }[];
  /** Everything else, flattened, so nothing the server sends is hidden. */
  other: { key: string; value: string }[];
  /** The disclosure rule the counts were published under (researchers), or null for exact counts. */
  disclosure: string | null;
  /**
   * A federation (the server reads several regional warehouses as one): each member's own
   * manifest, in region order; the fields above are then the members' totals. Empty otherwise.
   */
  members: MemberView[];
}

export interface MemberView {
  label: string;
  regions: string[];
  /** The member's data period (its own; the dashboard serves the months every member covers). */
  period: { from: string; to: string } | null;
  view: ManifestView;
}

const KNOWN = new Set(['runId', 'startedAt', 'finishedAt', 'codeVersion', 'keyId', 'optOutPolicy', 'asOf', 'schemaVersion', 'inputs', 'resources', 'tables', 'optOut', 'timingsSeconds', 'period', 'counts', 'forecasts', 'quarantine', 'eventPartitions', 'ignoredFiles', 'reference', 'label', 'regions', 'members']);

export function flatten(v: unknown, prefix = ''): { key: string; value: string }[] {
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
  if (Array.isArray(v)) return v.length === 0 ? [] : [{ key: prefix, value: v.map((x) => (isObj(x) ? JSON.stringify(x) : String(x))).join(', ') }];
  return v === null || v === undefined ? [] : [{ key: prefix, value: String(v) }];
}

export function manifestView(json: unknown): ManifestView {
  const m: Obj = isObj(json) ? json : {};
  const summary: { label: string; value: string }[] = [];
  const add = (label: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') summary.push({ label, value: String(v) });
  };
  add('Run', m.runId);
  add('Started', m.startedAt);
  add('Finished', m.finishedAt);
  add('Code version', m.codeVersion);
  add('Key id', m.keyId);
  add('Opt-out policy', m.optOutPolicy);
  if (isObj(m.period)) add('Data period', `${String(m.period.from)} to ${String(m.period.to)}`);
  add('Schema version', m.schemaVersion);
  if (isObj(m.forecasts)) add('Forecasts', [m.forecasts.status, m.forecasts.reason].filter((x) => typeof x === 'string').join(': '));

  const inputs = (Array.isArray(m.inputs) ? m.inputs : []).filter(isObj).map((i) => ({
    file: String(i.file ?? ''),
    resourceType: String(i.resourceType ?? ''),
    bytes: num(i.bytes),
    lines: num(i.lines),
    sha256: String(i.sha256 ?? ''),
  }));
  // Researchers get the counts (rounded, small ones withheld as null) under `counts`.
  const c: Obj = isObj(m.resources) || !isObj(m.counts) ? m : m.counts;
  const disclosure = c !== m && typeof c.disclosure === 'string' ? c.disclosure : null;
  const resources = Object.entries(isObj(c.resources) ? c.resources : {})
    .filter((e): e is [string, Obj] => isObj(e[1]))
    .map(([resource, r]) => ({
      resource,
      read: num(r.read),
      loaded: num(r.loaded),
      rejected: num(r.rejected),
      reasons: Object.entries(isObj(r.rejectedByReason) ? r.rejectedByReason : {})
        .map(([reason, count]) => ({ reason, count: disclosure ? num(count) : (num(count) ?? 0) }))
        .sort((a, b) => (b.count ?? 0) - (a.count ?? 0)),
    }));
  const tables = Object.entries(isObj(c.tables) ? c.tables : {})
    .map(([table, rows]) => ({ table, rows: num(rows) }))
    .filter((t) => disclosure !== null || t.rows !== null);
  const o = isObj(c.optOut) ? c.optOut : null;
  const patients = num(isObj(c.tables) ? c.tables.patients : null);
  const allowlisted = o ? num(o.allowlisted) : null;
  const optOut = o
    ? {
        listed: num(o.listed),
        matched: num(o.matched),
        allowlisted,
        // Share of loaded patients not on the research allow-list.
        share: patients && allowlisted !== null ? (patients - allowlisted) / patients : null,
        policy: typeof m.optOutPolicy === 'string' ? m.optOutPolicy : '',
      }
    : null;
  const timings = Object.entries(isObj(m.timingsSeconds) ? m.timingsSeconds : {})
    .map(([step, s]) => ({ step, seconds: num(s) }))
    .filter((t): t is { step: string; seconds: number } => t.seconds !== null);
  const other = Object.entries(m)
    .filter(([k]) => !KNOWN.has(k))
    .flatMap(([k, v]) => flatten(v, k));
  if (isObj(m.counts) && (c === m || !isObj(c.resources))) other.unshift(...flatten(m.counts, 'counts'));
  const members = (Array.isArray(m.members) ? m.members : []).filter(isObj).map((x) => ({
    label: typeof x.label === 'string' ? x.label : 'Warehouse',
    regions: Array.isArray(x.regions) ? x.regions.map(String) : [],
    period: isObj(x.period) ? { from: String(x.period.from), to: String(x.period.to) } : null,
    view: manifestView({ ...x, members: undefined }),
  }));
  return { summary, inputs, resources, tables, optOut, timings, other, disclosure, members };
}
