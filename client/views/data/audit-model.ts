/** GET /api/audit: entries (newest first), the hash chain's status and the filter choices, read defensively. */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AuditRow {
  seq: string;
  time: string;
  user: string;
  role: string;
  endpoint: string;
  /** The parameters as JSON, and the same in words for the table. */
  params: string;
  paramsText: string;
  rows: string;
  suppressed: string;
  outcome: string;
  /** The HTTP status as sent, '' when the entry has none. */
  status: string;
}

export interface AuditView {
  total: number | null;
  /** Entries matching the filters (all of them without filters). */
  matched: number | null;
  chain: { ok: boolean; detail: string } | null;
  facets: { users: string[]; endpoints: string[] };
  rows: AuditRow[];
}

/** The filters an admin can set; '' is "any". Dates are YYYY-MM-DD, UTC. */
export interface AuditFilters {
  user: string;
  endpoint: string;
  status: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { user: '', endpoint: '', status: '', from: '', to: '' };

export const STATUS_CHOICES: { value: string; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: '2xx', label: 'Succeeded (2xx)' },
  { value: '4xx', label: 'Refused (4xx)' },
  { value: '401', label: 'Not signed in (401)' },
  { value: '403', label: 'Role may not (403)' },
  { value: '400', label: 'Bad request (400)' },
  { value: '429', label: 'Over the limit (429)' },
  { value: '5xx', label: 'Server error (5xx)' },
];

const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `{"service":"ae_attendance","by":["region"]}` -> `service: ae_attendance; by: region`. */
export function readableParams(v: unknown): string {
  if (!isObj(v)) return text(v);
  return Object.entries(v)
    .filter(([, x]) => x !== '' && x !== null && x !== undefined)
    .map(([k, x]) => `${k}: ${Array.isArray(x) ? x.map(text).join(', ') : text(x)}`)
    .join('; ');
}

/** `2026-12-06T22:29:29.146Z` -> `2026-12-06 22:29:29`. */
export function readableTime(v: unknown): string {
  const s = text(v);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(s);
  return m ? `${m[1]} ${m[2]}` : s;
}

export function auditRows(json: unknown): AuditView {
  const root: Obj = isObj(json) ? json : {};
  const list = Array.isArray(json) ? json : Array.isArray(root.entries) ? root.entries : [];
  const chainRaw = isObj(root.chain) ? root.chain : isObj(root.verify) ? root.verify : null;
  const facets = isObj(root.facets) ? root.facets : {};
  return {
    total: typeof root.total === 'number' ? root.total : null,
    matched: typeof root.matched === 'number' ? root.matched : typeof root.total === 'number' ? root.total : null,
    chain: chainRaw
      ? { ok: chainRaw.ok === true, detail: isObj(chainRaw.problem) ? `line ${text(chainRaw.problem.line)}: ${text(chainRaw.problem.reason)}` : `${text(chainRaw.entries)} entries verified` }
      : null,
    facets: { users: strings(facets.users), endpoints: strings(facets.endpoints) },
    rows: list.filter(isObj).map((e) => {
      const s = isObj(e.suppressed) ? e.suppressed : null;
      return {
        seq: text(e.seq),
        time: readableTime(e.time),
        user: text(e.user) || '(not signed in)',
        role: text(e.role),
        endpoint: `${text(e.method)} ${text(e.endpoint)}`.trim(),
        params: text(e.params),
        paramsText: readableParams(e.params),
        rows: text(e.rows),
        suppressed: s ? `${text(s.primary)} + ${text(s.secondary)}` : text(e.suppressed),
        outcome: `${text(e.outcome)}${e.status ? ` (${text(e.status)})` : ''}`,
        status: text(e.status),
      };
    }),
  };
}

/** The query for one page: the filters set, the page size, and where the page starts. */
export function auditQuery(f: AuditFilters, limit: number, before: number | undefined): Record<string, string | number | undefined> {
  return { limit, before, user: f.user || undefined, endpoint: f.endpoint || undefined, status: f.status || undefined, from: f.from || undefined, to: f.to || undefined };
}
