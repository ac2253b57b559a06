import { addMonths, fmtMonth } from './format.ts';

export interface PeriodOption {
  label: string;
  from: string;
  to: string;
}

function monthIndex(m: string): number {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return y * 12 + mm - 1;
}

/**
 * Windows a planner thinks in: the latest 12 months, then whole NHS financial years (April to
 * March) inside the data, newest first.
 */
export function periodOptions(period: { from: string; to: string }): PeriodOption[] {
  const out: PeriodOption[] = [];
  const last12From = addMonths(period.to, -11);
  if (monthIndex(last12From) >= monthIndex(period.from)) {
    out.push({ label: `12 months to ${fmtMonth(period.to)}`, from: last12From, to: period.to });
  }
  const lastYear = Number(period.to.slice(0, 4));
  for (let y = lastYear; y >= Number(period.from.slice(0, 4)) - 1; y--) {
    const from = `${y}-04`;
    const to = `${y + 1}-03`;
    if (monthIndex(from) < monthIndex(period.from) || monthIndex(to) > monthIndex(period.to)) continue;
    if (from === last12From && to === period.to) continue;
    out.push({ label: `Financial year ${y}/${String((y + 1) % 100).padStart(2, '0')}`, from, to });
  }
  if (out.length === 0) out.push({ label: `${fmtMonth(period.from)} to ${fmtMonth(period.to)}`, from: period.from, to: period.to });
  return out;
}

/**
 * Windows a research export may use: whole calendar years (the data period's first and last
 * years as far as the data go), newest first, then the whole period. The server refuses any
 * other window, because two windows that differ by part of a year could be differenced into
 * that part's counts (server/disclosure/README.md).
 */
export function researchPeriodOptions(period: { from: string; to: string }): PeriodOption[] {
  const out: PeriodOption[] = [];
  const first = Number(period.from.slice(0, 4));
  const last = Number(period.to.slice(0, 4));
  for (let y = last; y >= first; y--) {
    const from = y === first ? period.from : `${y}-01`;
    const to = y === last ? period.to : `${y}-12`;
    const partial = !from.endsWith('-01') || !to.endsWith('-12');
    out.push({ label: partial ? `${y} (${fmtMonth(from)} to ${fmtMonth(to)})` : `${y}`, from, to });
  }
  if (first !== last) out.push({ label: 'Whole period', from: period.from, to: period.to });
  return out;
}

/** The 12 months before a window of 12, for "change on last year". */
export function previousYear(window: { from: string; to: string }): { from: string; to: string } {
  return { from: addMonths(window.from, -12), to: addMonths(window.to, -12) };
}
