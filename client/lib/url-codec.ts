/**
 * Reading view state from URL parameters. Every reader falls back to a default on a missing or bad
 * value, so a hand-edited or stale link still opens a working view (the state then rewrites the URL).
 */
export function readEnum<T extends string>(p: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const v = p.get(key);
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

export function readNumber(p: URLSearchParams, key: string, min: number, max: number, fallback: number): number {
  const raw = p.get(key);
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

export function readMonth(p: URLSearchParams, key: string, fallback: string): string {
  const v = p.get(key);
  return v !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(v) ? v : fallback;
}

export function readString(p: URLSearchParams, key: string, pattern: RegExp, fallback: string): string {
  const v = p.get(key);
  return v !== null && pattern.test(v) ? v : fallback;
}

/** A comma list whose items all come from `allowed`, order kept, duplicates dropped. */
export function readList<T extends string>(p: URLSearchParams, key: string, allowed: readonly T[], fallback: T[], maxItems: number): T[] {
  const raw = p.get(key);
  if (raw === null) return fallback;
  if (raw === '') return [];
  const items = [...new Set(raw.split(','))].filter((x): x is T => (allowed as readonly string[]).includes(x));
  return items.slice(0, maxItems);
}

/** Builds params in a fixed key order so the same state always gives the same link. */
export function writeParams(entries: [string, string | number | boolean | null | undefined][]): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of entries) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  return p;
}
