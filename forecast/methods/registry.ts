import { autoEts } from './ets-auto.ts';
import { naive, seasonalNaive } from './naive.ts';
import { damped, ses, theta } from './sa-models.ts';
import type { EtsSpec } from './ets.ts';
import type { MethodName, MethodOutput } from './types.ts';

/**
 * Runs a set of methods on one series, computing shared members once (the combination is the
 * mean of the ETS and Theta outputs already computed).
 */
export function meanOf(members: MethodOutput[], h: number, n: number, detail: string): MethodOutput {
  const k = members.length;
  const avg = (pick: (o: MethodOutput) => number[], len: number): number[] =>
    Array.from({ length: len }, (_, i) => members.reduce((s, o) => s + pick(o)[i]!, 0) / k);
  return { point: avg((o) => o.point, h), sd: avg((o) => o.sd, h), fitted: avg((o) => o.fitted, n), detail };
}

export function comboOf(etsOut: MethodOutput, thetaOut: MethodOutput, h: number, n: number): MethodOutput {
  return meanOf([etsOut, thetaOut], h, n, `Combination: mean of ${etsOut.detail} and ${thetaOut.detail}`);
}

/** Which methods make sense for a series of length n (short series fall back, DESIGN 8). */
export function applicableMethods(n: number, m: number): MethodName[] {
  if (n < 3) return ['naive'];
  const base: MethodName[] = n >= m ? ['snaive', 'ets', 'theta', 'combo'] : ['naive', 'ets', 'theta', 'combo'];
  return base;
}

export function runMethods(y: readonly number[], m: number, h: number, names: readonly MethodName[], etsSpec?: EtsSpec): Map<MethodName, MethodOutput> {
  const out = new Map<MethodName, MethodOutput>();
  const n = y.length;
  const need = new Set(names);
  if (n < 3) {
    const nv = naive(y, m, h);
    for (const name of need) out.set(name, nv);
    return out;
  }
  if (need.has('combo')) { need.add('ets'); need.add('theta'); }
  if (need.has('snaive')) out.set('snaive', seasonalNaive(y, m, h));
  if (need.has('naive')) out.set('naive', naive(y, m, h));
  if (need.has('ses')) out.set('ses', ses(y, m, h));
  if (need.has('damped')) out.set('damped', damped(y, m, h));
  if (need.has('ets')) out.set('ets', autoEts(y, m, h, etsSpec));
  if (need.has('theta')) out.set('theta', theta(y, m, h));
  if (need.has('combo')) out.set('combo', comboOf(out.get('ets')!, out.get('theta')!, h, n));
  return out;
}

export function runMethod(y: readonly number[], m: number, h: number, name: MethodName): MethodOutput {
  return runMethods(y, m, h, [name]).get(name)!;
}
