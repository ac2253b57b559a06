/** Exact central Poisson limits: the smallest L and U with P(X < L) <= tail and P(X > U) <= tail. */
export function poissonLimits(mean: number, tail: number): [number, number] {
  let p = Math.exp(-mean);
  let cdf = p;
  let k = 0;
  let lower = -1;
  while (lower < 0 || cdf < 1 - tail) {
    if (lower < 0 && cdf > tail) lower = k;
    k++;
    p *= mean / k;
    cdf += p;
  }
  return [lower, k];
}
