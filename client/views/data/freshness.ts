/**
 * Is the warehouse's newest month of activity as recent as its build date allows? The month before
 * the build is the newest that can be complete, so a warehouse built in July with June data is
 * up to date, and one more month of lag is allowed (late feeds); from STALE_AFTER_MONTHS months
 * behind the Data view flags it.
 */
export const STALE_AFTER_MONTHS = 2;

export interface Staleness {
  /** Whole months between the newest month of data and the newest month the build could have had. */
  monthsBehind: number;
  stale: boolean;
}

export function stalenessOf(lastEventMonth: string | null | undefined, builtAt: string | null | undefined): Staleness | null {
  const last = /^(\d{4})-(\d{2})/.exec(lastEventMonth ?? '');
  const built = /^(\d{4})-(\d{2})/.exec(builtAt ?? '');
  if (!last || !built) return null;
  const index = (m: RegExpExecArray) => Number(m[1]) * 12 + Number(m[2]) - 1;
  const monthsBehind = Math.max(0, index(built) - index(last) - 1);
  return { monthsBehind, stale: monthsBehind >= STALE_AFTER_MONTHS };
}

/** The newest month a build at `builtAt` could hold complete: the month before it (YYYY-MM). */
export function newestCompleteMonth(builtAt: string | null | undefined): string | null {
  const m = /^(\d{4})-(\d{2})/.exec(builtAt ?? '');
  if (!m) return null;
  const [y, mm] = [Number(m[1]), Number(m[2])];
  return mm === 1 ? `${y - 1}-12` : `${y}-${String(mm - 1).padStart(2, '0')}`;
}

/** `2026-12-06T22:27:58.677Z` -> `6 Dec 2026, 22:27 UTC`. */
export function fmtTimestamp(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso ?? '');
  if (!m) return iso ?? '–';
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]} UTC`;
}
