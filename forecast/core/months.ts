/** Months as integers (year * 12 + month - 1) so gaps and horizons are plain arithmetic. */
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseMonth(text: string): number | null {
  const m = MONTH_RE.exec(text);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null;
}

export function formatMonth(index: number): string {
  const y = Math.floor(index / 12);
  const mo = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

/** `YYYY-MM-01`, for DATE columns. */
export function monthDate(index: number): string {
  return `${formatMonth(index)}-01`;
}

/** Month index of a Date or a `YYYY-MM-DD` / `YYYY-MM` string (UTC). */
export function monthOf(value: Date | string): number {
  if (value instanceof Date) return value.getUTCFullYear() * 12 + value.getUTCMonth();
  const idx = parseMonth(value.slice(0, 7));
  if (idx === null) throw new RangeError(`not a month: ${value}`);
  return idx;
}

export function daysInMonth(index: number): number {
  const y = Math.floor(index / 12);
  const mo = index - y * 12;
  return new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
}
