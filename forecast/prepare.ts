import { formatMonth } from './core/months.ts';
import { fitAutoEts } from './methods/ets-auto.ts';
import { seasonalNaive } from './methods/naive.ts';

/**
 * Turns raw observations into a gap-free series for fitting, recording every change:
 * - missing periods (absent or null) inside the series are linearly interpolated and flagged;
 * - the COVID-19 months (a shock, not a pattern to learn) are replaced by the counterfactual
 *   forecast of a model fitted to the pre-COVID data, and flagged so backtests can skip them.
 */
export interface CovidWindow { from: number; to: number }

export interface PreparedSeries {
  /** First period (month index, or plain integer index) of `y`. */
  start: number;
  /** Values used for fitting. */
  y: number[];
  /** Observed values (null where missing), aligned with `y`. */
  observed: (number | null)[];
  /** Offsets into `y` that were interpolated. */
  missing: number[];
  /** Offsets into `y` inside the COVID window. */
  covid: number[];
  covidHandling: string | null;
}

export const DEFAULT_COVID: CovidWindow = { from: 2020 * 12 + 2, to: 2021 * 12 + 2 };

export function prepareSeries(periods: readonly number[], values: readonly (number | null)[], m: number, covid: CovidWindow | null): PreparedSeries {
  const byPeriod = new Map<number, number>();
  periods.forEach((p, i) => {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) byPeriod.set(p, v);
  });
  const known = [...byPeriod.keys()].sort((a, b) => a - b);
  if (!known.length) throw new RangeError('series has no observed values');
  const start = known[0]!;
  const end = known[known.length - 1]!;
  const observed: (number | null)[] = [];
  for (let p = start; p <= end; p++) observed.push(byPeriod.get(p) ?? null);
  const y = observed.map((v) => v ?? Number.NaN);
  const missing: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (!Number.isNaN(y[i]!)) continue;
    missing.push(i);
    let a = i - 1;
    let b = i + 1;
    while (Number.isNaN(y[b]!)) b++;
    while (a >= 0 && Number.isNaN(y[a]!)) a--;
    y[i] = y[a]! + ((y[b]! - y[a]!) * (i - a)) / (b - a);
  }
  const covidIdx: number[] = [];
  let covidHandling: string | null = null;
  if (covid) {
    for (let i = 0; i < y.length; i++) if (start + i >= covid.from && start + i <= covid.to) covidIdx.push(i);
    if (covidIdx.length) covidHandling = replaceCovid(y, covidIdx, m, covid);
  }
  return { start, y, observed, missing, covid: covidIdx, covidHandling };
}

function replaceCovid(y: number[], idx: number[], m: number, covid: CovidWindow): string {
  const first = idx[0]!;
  const last = idx[idx.length - 1]!;
  const pre = y.slice(0, first);
  const window = `${formatMonth(covid.from)} to ${formatMonth(covid.to)}`;
  if (pre.length < 3) {
    // Nothing to build a counterfactual from: leave values in, but still keep them out of backtests.
    return `COVID months ${window}: fewer than 3 pre-COVID points, values kept for fitting but excluded from backtest errors`;
  }
  const h = last - first + 1;
  let cf: number[];
  let model: string;
  if (pre.length >= 2 * m) {
    const fit = fitAutoEts(pre, m);
    cf = fit.forecast(h).point;
    model = fit.label;
  } else {
    cf = seasonalNaive(pre, m, h).point;
    model = pre.length >= m ? 'seasonal naive' : 'naive';
  }
  const floor = pre.every((v) => v >= 0) ? 0 : Number.NEGATIVE_INFINITY;
  for (let k = 0; k < h; k++) y[first + k] = Math.max(floor, cf[k]!);
  return `COVID months ${window}: replaced for fitting by the counterfactual ${model} forecast from the pre-COVID data, and excluded from backtest errors`;
}
