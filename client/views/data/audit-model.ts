/** GET /api/audit: entries (newest first) and the hash chain's status, read defensively. */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AuditRow {
  seq: string;
  time: string;
  user: string;
  role: string;
  endpoint: string;
  params: string;
  rows: string;
  suppressed: string;
  outcome: string;
}

export interface AuditView {
  total: number | null;
  chain: { ok: boolean; detail: string } | null;
  rows: AuditRow[];
}

const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function auditRows(json: unknown): AuditView {
  const root: Obj = isObj(json) ? json : {};
  const list = Array.isArray(json) ? json : Array.isArray(root.entries) ? root.entries : [];
  const chainRaw = isObj(root.chain) ? root.chain : isObj(root.verify) ? root.verify : null;
  return {
    total: typeof root.total === 'number' ? root.total : null,
    chain: chainRaw
      ? { ok: chainRaw.ok === true, detail: isObj(chainRaw.problem) ? `line ${text(chainRaw.problem.line)}: ${text(chainRaw.problem.reason)}` : `${text(chainRaw.entries)} entries verified` }
      : null,
    rows: list.filter(isObj).map((e) => {
      const s = isObj(e.suppressed) ? e.suppressed : null;
      return {
        seq: text(e.seq),
        time: text(e.time),
        user: text(e.user),
        role: text(e.role),
        endpoint: `${text(e.method)} ${text(e.endpoint)}`.trim(),
        params: text(e.params),
        rows: text(e.rows),
        suppressed: s ? `${text(s.primary)} + ${text(s.secondary)}` : text(e.suppressed),
        outcome: `${text(e.outcome)}${e.status ? ` (${text(e.status)})` : ''}`,
      };
    }),
  };
}
