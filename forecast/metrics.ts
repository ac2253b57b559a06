/**
 * Accuracy measures (Hyndman & Koehler 2006; M3 sMAPE as in Makridakis & Hibon 2000).
 */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/** 200 |y - f| / (|y| + |f|), 0 when both are 0 (M3 definition, in percent). */
export function smapeTerm(actual: number, forecast: number): number {
  const d = Math.abs(actual) + Math.abs(forecast);
  return d === 0 ? 0 : (200 * Math.abs(actual - forecast)) / d;
}

/**
 * MASE scale: in-sample mean absolute error of the seasonal naive (lag m), falling back to the
 * naive (lag 1) when the series is shorter than a season or perfectly seasonal.
 */
export function maseScale(y: readonly number[], m: number): number {
  const mae = (lag: number): number => {
    let s = 0;
    let k = 0;
    for (let t = lag; t < y.length; t++) { s += Math.abs(y[t]! - y[t - lag]!); k++; }
    return k ? s / k : Number.NaN;
  };
  const seasonal = y.length > m ? mae(m) : Number.NaN;
  if (seasonal > 0) return seasonal;
  const lag1 = y.length > 1 ? mae(1) : Number.NaN;
  return lag1 > 0 ? lag1 : Number.NaN;
}
