import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smapeTerm } from '../metrics.ts';

/**
 * The M3 monthly competition set (1,428 series, last 18 months held out) and the 24 original
 * methods' forecasts, as prepared in reference-data/forecasting-benchmarks (see its SOURCE.md).
 * Evaluation-only code: the product never reads reference data at run time.
 */
export interface M3Series { id: string; category: string; train: number[]; test: number[] }

export function loadM3(dir: string): M3Series[] {
  const text = readFileSync(join(dir, 'm3_monthly_series.csv'), 'utf8');
  const byId = new Map<string, { category: string; rows: { t: number; v: number; train: boolean }[] }>();
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    const [id, category, t, , value, split] = line.split(',');
    let s = byId.get(id!);
    if (!s) { s = { category: category!, rows: [] }; byId.set(id!, s); }
    s.rows.push({ t: Number(t), v: Number(value), train: split === 'train' });
  }
  return [...byId].map(([id, s]) => {
    s.rows.sort((a, b) => a.t - b.t);
    return { id, category: s.category, train: s.rows.filter((r) => r.train).map((r) => r.v), test: s.rows.filter((r) => !r.train).map((r) => r.v) };
  });
}

/** sMAPE of each of the 24 original methods: mean over series and the 18 horizons (M3 definition). */
export function originalMethodsSmape(dir: string, series: readonly M3Series[]): Map<string, number> {
  const test = new Map(series.map((s) => [s.id, s]));
  const sums = new Map<string, { s: number; k: number }>();
  const text = readFileSync(join(dir, 'm3_monthly_forecasts_24_methods.csv'), 'utf8');
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    const [id, method, horizon, , , , forecast] = line.split(',');
    const s = test.get(id!);
    if (!s) continue;
    const actual = s.test[Number(horizon) - 1]!;
    const acc = sums.get(method!) ?? { s: 0, k: 0 };
    acc.s += smapeTerm(actual, Number(forecast));
    acc.k++;
    sums.set(method!, acc);
  }
  return new Map([...sums].map(([k, v]) => [k, v.s / v.k]));
}
