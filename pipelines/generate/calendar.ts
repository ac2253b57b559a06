/**
 * Whole-day arithmetic in UTC without Date objects on the hot path: days since 1970-01-01 and
 * month indexes (year * 12 + month - 1). Date strings are cached because formatting them is
 * the single most repeated operation when writing millions of encounters.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export const monthIndex = (y: number, m: number): number => y * 12 + (m - 1);
export const monthYear = (mi: number): number => Math.floor(mi / 12);
export const monthOfYear = (mi: number): number => (mi % 12) + 1;
export const monthStartDay = (mi: number): number => daysFromCivil(monthYear(mi), monthOfYear(mi), 1);
export const daysInMonth = (mi: number): number => monthStartDay(mi + 1) - monthStartDay(mi);

/** `YYYY-MM` to a month index; throws on anything else. */
export function parseYearMonth(text: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`expected YYYY-MM, got "${text}"`);
  return monthIndex(Number(match[1]), Number(match[2]));
}

export const formatYearMonth = (mi: number): string => `${monthYear(mi)}-${String(monthOfYear(mi)).padStart(2, '0')}`;

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

const DATE_CACHE_FIRST = daysFromCivil(1880, 1, 1);
const DATE_CACHE_LAST = daysFromCivil(2100, 1, 1);
const dateCache: string[] = [];

/** `YYYY-MM-DD` of a day number. */
export function dateString(day: number): string {
  if (day < DATE_CACHE_FIRST || day >= DATE_CACHE_LAST) {
    const [y, m, d] = civilFromDays(day);
    return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
  }
  const i = day - DATE_CACHE_FIRST;
  let s = dateCache[i];
  if (s === undefined) {
    const [y, m, d] = civilFromDays(day);
    s = `${y}-${pad2(m)}-${pad2(d)}`;
    dateCache[i] = s;
  }
  return s;
}
