/** Small numeric helpers shared by the forecasting methods. */

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length ? s / x.length : Number.NaN;
}

export function median(x: readonly number[]): number {
  if (!x.length) return Number.NaN;
  const s = x.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Quantile with linear interpolation between order statistics (R type 7). */
export function quantile(x: readonly number[], p: number): number {
  if (!x.length) return Number.NaN;
  const s = x.slice().sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9 after refinement). */
export function qnorm(p: number): number {
  if (p <= 0 || p >= 1) throw new RangeError(`p must be in (0,1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let q: number;
  if (p < pl) {
    q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pl) return -qnorm(1 - p);
  q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Sample autocorrelations r_1..r_maxLag (biased estimator, as R's acf). */
export function acf(x: ArrayLike<number>, maxLag: number): number[] {
  const n = x.length;
  const m = mean(x);
  let d = 0;
  for (let i = 0; i < n; i++) d += (x[i]! - m) ** 2;
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += (x[i]! - m) * (x[i - k]! - m);
    out.push(d > 0 ? s / d : 0);
  }
  return out;
}

/** Least-squares slope and intercept of y on 0..n-1. */
export function linearFit(y: ArrayLike<number>): { intercept: number; slope: number } {
  const n = y.length;
  if (n < 2) return { intercept: n ? y[0]! : 0, slope: 0 };
  const tm = (n - 1) / 2;
  const ym = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - tm) * (y[i]! - ym);
    sxx += (i - tm) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: ym - slope * tm, slope };
}

/** Deterministic pseudo-random numbers (mulberry32) and normal deviates, for simulations and tests. */
export function rng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}
