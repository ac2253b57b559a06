/**
 * The pipeline's manifest as the API shows it. manifest.json is written for the data manager on
 * the server and holds server paths: the quarantine folder (absolute), a forecast failure's reason
 * may name a file of the build folder, and older manifests named inputs by their path. No response
 * may carry an absolute path of the server (it tells an attacker the layout, user names, mounts),
 * so file fields become file names (inputs are named relative to the input folder, which is flat),
 * the quarantine folder its last two parts (`<quarantine>/<runId>`), and any absolute path inside
 * any other text its last part. Everything else is passed through unchanged.
 */
import path from 'node:path';

/** An absolute POSIX or Windows path inside text: at the start, or after a space, quote, bracket, `=` or `,`. */
const EMBEDDED_ABSOLUTE = /(^|[\s'"`(=[{<,;])((?:\/|[A-Za-z]:[\\/]|\\\\)[^\s'"`)\]}>,;]*)/g;

function lastParts(p: string, n: number): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts.slice(-n).join('/') || '…';
}

/** True for a path of the server's file system (POSIX `/…`, Windows `C:\…` or `\\host\…`). */
export function isAbsolutePath(s: string): boolean {
  return path.posix.isAbsolute(s) || path.win32.isAbsolute(s);
}

/** Text with every absolute path in it cut to its last part. */
export function withoutAbsolutePaths(s: string): string {
  return s.replace(EMBEDDED_ABSOLUTE, (_m, before: string, p: string) => `${before}${lastParts(p, 1)}`);
}

/** A file field: its name only (a relative name without folders is kept as it is). */
function fileName(v: unknown): unknown {
  return typeof v === 'string' && /[\\/]/.test(v) ? lastParts(v, 1) : v;
}

function scrub(v: unknown, key: string | null, parent: string | null): unknown {
  if (typeof v === 'string') {
    if (key === 'file') return fileName(v);
    if (key === 'folder' && parent === 'quarantine') return isAbsolutePath(v) || /[\\/]/.test(v) ? lastParts(v, 2) : v;
    return withoutAbsolutePaths(v);
  }
  if (Array.isArray(v)) return v.map((x) => scrub(x, null, key));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [withoutAbsolutePaths(k), scrub(x, k, key)]));
  }
  return v;
}

/** A copy of `manifest` (or any part of it) without server paths, for an API response. */
export function manifestForApi<T>(manifest: T): T {
  return scrub(manifest, null, null) as T;
}
