/**
 * Research windows are unions of whole calendar years ("blocks"; the data period's first and
 * last years may be partial). Every published figure is taken from one block's protected table,
 * or is a sum of such figures, so two windows can only ever be differenced into whole blocks whose
 * figures are already published (README.md beside this folder: "windows").
 */
export interface Block {
  year: number;
  from: string;
  to: string;
  months: number;
}

const ym = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;

/** The calendar-year blocks of a window, clipped to it. */
export function yearBlocks(from: string, to: string): Block[] {
  const fy = Number(from.slice(0, 4));
  const ty = Number(to.slice(0, 4));
  const blocks: Block[] = [];
  for (let y = fy; y <= ty; y++) {
    const f = y === fy ? from : ym(y, 1);
    const t = y === ty ? to : ym(y, 12);
    blocks.push({ year: y, from: f, to: t, months: Number(t.slice(5, 7)) - Number(f.slice(5, 7)) + 1 });
  }
  return blocks;
}

/** Whether a month may start a research window: January, or the first month of the data. */
export function startsBlock(month: string, period: { from: string }): boolean {
  return month.endsWith('-01') || month === period.from;
}

/** Whether a month may end a research window: December, or the last month of the data. */
export function endsBlock(month: string, period: { to: string }): boolean {
  return month.endsWith('-12') || month === period.to;
}
