const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function fmtInt(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '–' : int.format(v);
}

export function fmt1(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '–' : one.format(v);
}

export function fmt2(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '–' : two.format(v);
}

export function fmtPercent(v: number | null | undefined, digits = 1): string {
  if (v == null || !Number.isFinite(v)) return '–';
  return `${v > 0 ? '+' : ''}${v.toFixed(digits)}%`;
}

/** A share in [0, 1] as a percentage without sign: 0.0106 -> `1.06%`, 0.5 -> `50.0%`. */
export function fmtShare(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '–';
  return `${(v * 100).toFixed(v < 0.1 ? 2 : 1)}%`;
}

/** `2020-03` -> `Mar 2020`. */
export function fmtMonth(m: string | null | undefined): string {
  if (!m) return '–';
  const [y, mm] = m.split('-');
  return `${MONTHS[Number(mm) - 1] ?? mm} ${y}`;
}

/** `YYYY-MM` arithmetic without time zones. */
export function addMonths(m: string, n: number): string {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  const idx = y * 12 + (mm - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}
