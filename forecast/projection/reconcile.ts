/**
 * Coherent region and STP forecasts. OLS reconciliation (Hyndman et al. 2011) for a two-level
 * hierarchy (one region, k STPs) has a closed form: the incoherence d = (region - sum STPs) is
 * shared equally among the k + 1 series, so each STP gets + d/(k+1) and the region - d/(k+1).
 * The region is then recomputed as the plain sum of the reconciled STPs, so the identity holds
 * exactly in floating point, not just to rounding. Interval bounds move with their point.
 */
export interface BandedForecast { value: number[]; lo80: number[]; hi80: number[]; lo95: number[]; hi95: number[] }

const shift = (f: BandedForecast, d: number[]): BandedForecast => ({
  value: f.value.map((v, i) => v + d[i]!),
  lo80: f.lo80.map((v, i) => v + d[i]!),
  hi80: f.hi80.map((v, i) => v + d[i]!),
  lo95: f.lo95.map((v, i) => v + d[i]!),
  hi95: f.hi95.map((v, i) => v + d[i]!),
});

export function reconcileTwoLevel(region: BandedForecast, stps: readonly BandedForecast[]): { region: BandedForecast; stps: BandedForecast[] } {
  const h = region.value.length;
  const k = stps.length;
  if (k === 0) return { region, stps: [] };
  const d = Array.from({ length: h }, (_, i) => {
    let sum = 0;
    for (const s of stps) sum += s.value[i]!;
    return (region.value[i]! - sum) / (k + 1);
  });
  const adjusted = stps.map((s) => shift(s, d));
  const total = Array.from({ length: h }, (_, i) => {
    let sum = 0;
    for (const s of adjusted) sum += s.value[i]!;
    return sum;
  });
  const delta = total.map((t, i) => t - region.value[i]!);
  const shifted = shift(region, delta);
  return { region: { ...shifted, value: total }, stps: adjusted };
}

/** Sum in the same order the reconciliation uses, for checking coherence. */
export function sumSeries(series: readonly number[][]): number[] {
  const h = series[0]?.length ?? 0;
  return Array.from({ length: h }, (_, i) => {
    let sum = 0;
    for (const s of series) sum += s[i]!;
    return sum;
  });
}
