import type { AuditEntry } from './chain.ts';

/** What an admin can narrow the audit log to (GET /api/audit); every field optional, all must hold. */
export interface AuditFilter {
  user?: string;
  endpoint?: string;
  /** An exact status (`403`) or a class (`4xx`). */
  status?: string;
  /** Inclusive UTC dates, YYYY-MM-DD, on the entry's time. */
  from?: string;
  to?: string;
}

export function matchesAuditFilter(e: AuditEntry, f: AuditFilter): boolean {
  if (f.user !== undefined && (e.user ?? '') !== f.user) return false;
  if (f.endpoint !== undefined && e.endpoint !== f.endpoint) return false;
  if (f.status !== undefined) {
    const s = String(e.status);
    if (/^\dxx$/.test(f.status) ? s[0] !== f.status[0] || s.length !== 3 : s !== f.status) return false;
  }
  const day = typeof e.time === 'string' ? e.time.slice(0, 10) : '';
  if (f.from !== undefined && day < f.from) return false;
  if (f.to !== undefined && day > f.to) return false;
  return true;
}

/** The distinct users and endpoints in the log, sorted: the choices the filter form offers. */
export function auditFacets(entries: readonly AuditEntry[]): { users: string[]; endpoints: string[] } {
  const users = new Set<string>();
  const endpoints = new Set<string>();
  for (const e of entries) {
    if (typeof e.user === 'string') users.add(e.user);
    if (typeof e.endpoint === 'string') endpoints.add(e.endpoint);
  }
  return { users: [...users].sort(), endpoints: [...endpoints].sort() };
}
