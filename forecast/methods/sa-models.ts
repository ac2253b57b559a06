import { deseasonalise, type Deseasonalised } from '../core/decompose.ts';
import { linearFit } from '../core/stats.ts';
import { fitEts, type EtsSpec } from './ets.ts';
import type { MethodOutput } from './types.ts';

/**
 * Non-seasonal models applied to seasonally adjusted data (classical decomposition when the 90%
 * seasonality test passes), then reseasonalised: the M3/M4 benchmark recipe (SES, damped, Theta).
 */
function reseason(ds: Deseasonalised, n: number, out: { point: number[]; sd: number[] }, fitted: number[]): { point: number[]; sd: number[]; fitted: number[] } {
  const point = out.point.map((v, i) => ds.reseason(v, n + i));
  const sd = out.sd.map((v, i) => (ds.type === 'multiplicative' ? v * ds.at(n + i) : v));
  return { point, sd, fitted: fitted.map((v, t) => ds.reseason(v, t)) };
}

const saLabel = (ds: Deseasonalised): string => (ds.type === 'none' ? '' : ` on ${ds.type === 'multiplicative' ? 'multiplicatively' : 'additively'} seasonally adjusted data`);

function saEts(y: readonly number[], m: number, h: number, spec: EtsSpec, name: string): MethodOutput {
  const ds = deseasonalise(y, m);
  const fit = fitEts(ds.adjusted, 1, spec);
  const r = reseason(ds, y.length, fit.forecast(h), fit.fitted);
  return { ...r, detail: `${name}${saLabel(ds)}` };
}

export function ses(y: readonly number[], m: number, h: number): MethodOutput {
  return saEts(y, m, h, { trend: 'N', season: 'N' }, 'SES');
}

export function damped(y: readonly number[], m: number, h: number): MethodOutput {
  if (y.length < 5) return ses(y, m, h);
  return saEts(y, m, h, { trend: 'Ad', season: 'N' }, 'Damped trend');
}

/**
 * Standard Theta (Assimakopoulos & Nikolopoulos 2000) as shown by Hyndman & Billah (2003) and
 * implemented in `forecast::thetaf`: SES on the adjusted data plus half the least-squares slope,
 * b/2 * ((h - 1) + (1 - (1 - alpha)^n) / alpha). Intervals are those of SES (as in thetaf).
 */
export function theta(y: readonly number[], m: number, h: number): MethodOutput {
  const n = y.length;
  const ds = deseasonalise(y, m);
  const fit = fitEts(ds.adjusted, 1, { trend: 'N', season: 'N' });
  const f = fit.forecast(h);
  const drift = linearFit(ds.adjusted).slope / 2;
  const a = fit.alpha;
  const offset = (1 - (1 - a) ** n) / a;
  const point = f.point.map((v, i) => v + drift * (i + offset));
  const r = reseason(ds, n, { point, sd: f.sd }, fit.fitted);
  return { ...r, detail: `Theta${saLabel(ds)}` };
}
