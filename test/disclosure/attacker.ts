/**
 * A curious researcher's toolkit for the differencing suite: read published research tables the
 * way a person would (CSV semantics: `*` withheld), turn pairs of them into interval evidence
 * about a target count, and judge that evidence against what the disclosure rules allow a reader
 * to know about the target from its own publication.
 */
import type { PublishedTable } from '../../server/disclosure/export/build-table.ts';
import { monthsInWindow } from '../../server/disclosure/export/categories.ts';

export type Published = number | 'withheld' | 'absent';

/** Value of `column` in the row whose dimension labels are `key` (in dimension order). */
export function cell(table: PublishedTable, column: string, key: readonly string[]): Published {
  const c = table.columns.findIndex((x) => x.name === column);
  if (c < 0) throw new Error(`no column ${column}`);
  const dims = table.columns.filter((x) => x.kind === 'dimension').length;
  const row = table.rows.find((r) => key.every((k, i) => r[i] === k) && key.length === dims);
  if (!row) return 'absent';
  const v = row[c];
  if (v === '*' || v === null) return 'withheld';
  return Number(v);
}

/** Integer interval, inclusive; hi = Infinity when unbounded above. */
export interface Range {
  lo: number;
  hi: number;
}

export const size = (r: Range) => (r.hi === Infinity ? Infinity : Math.max(0, r.hi - r.lo + 1));
export const intersect = (a: Range, b: Range): Range => ({ lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) });
export const contains = (r: Range, v: number) => v >= r.lo && v <= r.hi;

/**
 * What the rules themselves let a reader know about a count from its own publication: a shown
 * value v (rounded to `base`, halves up) means v-floor(base/2)..v+floor(base/2); a primary
 * suppressed count means 1..suppressTo; a secondary suppressed one means nothing (0..).
 */
export function ruleRange(p: Published, primary: boolean, base: number, suppressTo: number): Range {
  if (typeof p === 'number') {
    if (p === 0) return { lo: 0, hi: 0 };
    const h = Math.floor(base / 2);
    return { lo: p - h, hi: p + h };
  }
  return primary ? { lo: 1, hi: suppressTo } : { lo: 0, hi: Infinity };
}

/**
 * Evidence from a difference of two published totals, each taken to be the exact total rounded
 * to `base` (what the HES rule "totals from exact values, then rounded" promises).
 */
export function differenceEvidence(a: number, b: number, base: number): Range {
  const h = Math.floor(base / 2);
  return { lo: Math.max(0, a - b - 2 * h), hi: a - b + 2 * h };
}

export interface Verdict {
  targets: number;
  /** Targets on which the attack had any evidence. */
  attacked: number;
  /** Evidence left fewer values than the rules' own range (and still held the truth). */
  narrowed: string[];
  /** Evidence left exactly one value, the truth. */
  exact: string[];
  /** Evidence that excluded the truth (the attacker's model of the output was wrong). */
  misled: number;
}

export function newVerdict(): Verdict {
  return { targets: 0, attacked: 0, narrowed: [], exact: [], misled: 0 };
}

/** Judges the attacker's combined evidence about one target against its rule range and truth. */
export function judge(v: Verdict, label: string, evidence: Range[], rule: Range, truth: number): void {
  v.targets++;
  // A true zero is published exactly by the rules themselves: nothing to protect.
  if (evidence.length === 0 || size(rule) === 1) return;
  v.attacked++;
  let r = rule;
  for (const e of evidence) r = intersect(r, e);
  if (!contains(r, truth)) {
    v.misled++;
    return;
  }
  if (size(r) === 1) v.exact.push(`${label}: exactly ${truth}`);
  else if (size(r) < size(rule)) v.narrowed.push(`${label}: ${r.lo}..${r.hi} (rule ${rule.lo}..${rule.hi === Infinity ? '' : rule.hi}, truth ${truth})`);
}

/**
 * Every vector of non-negative integers over `k` unknowns with sum in [minTotal, maxTotal] and
 * each entry at most `maxEach`, passed to `visit`. Small by construction (k <= 4, totals <= 40).
 */
export function forEachComposition(k: number, minTotal: number, maxTotal: number, maxEach: number, visit: (c: number[]) => void): void {
  const c = new Array<number>(k).fill(0);
  const rec = (i: number, sum: number) => {
    if (i === k) {
      if (sum >= minTotal && sum <= maxTotal) visit(c);
      return;
    }
    for (let x = 0; x <= maxEach && sum + x <= maxTotal; x++) {
      c[i] = x;
      rec(i + 1, sum + x);
    }
    c[i] = 0;
  };
  rec(0, 0);
}

/** Calendar months from..to inclusive as YYYY-MM. */
export const months = (from: string, to: string): string[] => monthsInWindow({ from, to });
