/**
 * Nelder-Mead simplex minimiser (Lagarias et al. 1998 coefficients). Derivative-free, which suits
 * exponential-smoothing likelihoods whose recursions are not cheaply differentiable.
 */
export interface NelderMeadOptions {
  /** Initial step per coordinate (defaults to 10% of |x0|, or 0.1 at zero). */
  step?: readonly number[];
  maxEvals?: number;
  /** Stop when the spread of function values in the simplex is below this (relative). */
  tol?: number;
}

export interface NelderMeadResult {
  x: number[];
  value: number;
  evals: number;
}

export function nelderMead(f: (x: number[]) => number, x0: readonly number[], opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const maxEvals = opts.maxEvals ?? 200 * n;
  const tol = opts.tol ?? 1e-8;
  let evals = 0;
  const fx = (x: number[]): number => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    const s = opts.step?.[i] ?? (p[i] !== 0 ? 0.1 * Math.abs(p[i]!) : 0.1);
    p[i] = p[i]! + s;
    pts.push(p);
  }
  const vals = pts.map(fx);
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(n);
  const along = (c: number[], w: number[], t: number): number[] => c.map((ci, j) => ci + t * (w[j]! - ci));

  while (evals < maxEvals) {
    order.sort((a, b) => vals[a]! - vals[b]!);
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    const spread = Math.abs(vals[worst]! - vals[best]!);
    if (spread <= tol * (Math.abs(vals[best]!) + tol)) break;
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]!]!;
      for (let j = 0; j < n; j++) centroid[j]! += p[j]! / n;
    }
    const xr = along(centroid, pts[worst]!, -1);
    const fr = fx(xr);
    if (fr < vals[best]!) {
      const xe = along(centroid, pts[worst]!, -2);
      const fe = fx(xe);
      if (fe < fr) { pts[worst] = xe; vals[worst] = fe; } else { pts[worst] = xr; vals[worst] = fr; }
      continue;
    }
    if (fr < vals[second]!) { pts[worst] = xr; vals[worst] = fr; continue; }
    const outside = fr < vals[worst]!;
    const xc = along(centroid, outside ? xr : pts[worst]!, 0.5);
    const fc = fx(xc);
    if (fc < (outside ? fr : vals[worst]!)) { pts[worst] = xc; vals[worst] = fc; continue; }
    // Shrink towards the best point.
    const pb = pts[best]!;
    for (let k = 1; k <= n; k++) {
      const idx = order[k]!;
      pts[idx] = along(pb, pts[idx]!, 0.5);
      vals[idx] = fx(pts[idx]!);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (vals[i]! < vals[bi]!) bi = i;
  return { x: pts[bi]!, value: vals[bi]!, evals };
}
