import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STPS } from '../../domain/geography.ts';
import { monthOf } from '../core/months.ts';
import type { MonthlyCell } from '../family.ts';

/**
 * Real monthly NHS England A&E series (MSitAE, OGL v3) for the 14 LHCRE STPs, from
 * reference-data/nhs-activity (see its SOURCE.md). Evaluation-only: benches, never the product.
 * Rows are keyed by the ODS `q_code`, stable across the 2018 ONS code change.
 */
export const AE_MEASURES = ['att_total', 'att_type1', 'att_type3', 'emadm_total', 'emadm_via_ae_total', 'emadm_other'] as const;
export type AeMeasure = (typeof AE_MEASURES)[number];

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Monthly cells per STP (domain STP code) for one measure; blank source cells are skipped. */
export function loadAeStpCells(dir: string, measure: AeMeasure): MonthlyCell[] {
  const lines = readFileSync(join(dir, 'ae_monthly_by_stp_icb_2017-04_2024-06.csv'), 'utf8').trim().split('\n');
  const header = splitCsv(lines[0]!);
  const qi = header.indexOf('q_code');
  const pi = header.indexOf('period');
  const mi = header.indexOf(measure);
  const byQ = new Map(STPS.map((s) => [s.qCode, s.code]));
  const cells: MonthlyCell[] = [];
  for (const line of lines.slice(1)) {
    const f = splitCsv(line);
    const stp = byQ.get(f[qi]!);
    if (!stp || f[mi] === '') continue;
    cells.push({ stp, month: monthOf(f[pi]!), events: Number(f[mi]) });
  }
  return cells;
}
