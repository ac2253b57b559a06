/** The API areas whose every request is audited: patient-derived data, exports and the log itself. */
export const AUDITED_AREAS = ['demand', 'compare', 'forecast', 'exports', 'audit'] as const;

const AREAS = new Set<string>(AUDITED_AREAS);

/** Where a request went, in the form the audit log records it. */
export interface AuditTarget {
  /** Route pattern, lower case, no query string: `/api/exports/:id`, or `/api/demand/*` for a path no route has. */
  endpoint: string;
  /** The id from `/api/exports/<id>[/metadata]`, as sent (trimmed). */
  exportId?: string;
  /** The path as sent (trimmed), kept only when the endpoint is a `/*` pattern, so the odd request stays readable. */
  path?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Maps a request URL to its audit target, or null when it is not under an audited area. Errs on
 * the side of auditing: Express matches routes case-insensitively and ignores a trailing slash,
 * so the match here also ignores case, empty segments (`//`), `.` and `..` segments and
 * percent-encoding: anything that could reach an audited route, and some requests that cannot,
 * is recorded.
 */
export function auditTarget(url: string): AuditTarget | null {
  const raw = url.split(/[?#]/, 1)[0]!;
  const segments: string[] = [];
  for (const s of raw.split('/')) {
    const d = decode(s);
    if (d === '' || d === '.') continue;
    if (d === '..') segments.pop();
    else segments.push(d);
  }
  if (segments.length < 2 || segments[0]!.toLowerCase() !== 'api') return null;
  const area = segments[1]!.toLowerCase();
  if (!AREAS.has(area)) return null;
  const rest = segments.slice(2);
  if (rest.length === 0) return { endpoint: `/api/${area}` };
  if (area === 'exports' && rest.length === 1) return { endpoint: '/api/exports/:id', exportId: rest[0]!.slice(0, 100) };
  if (area === 'exports' && rest.length === 2 && rest[1]!.toLowerCase() === 'metadata') {
    return { endpoint: '/api/exports/:id/metadata', exportId: rest[0]!.slice(0, 100) };
  }
  return { endpoint: `/api/${area}/*`, path: raw.slice(0, 200) };
}
