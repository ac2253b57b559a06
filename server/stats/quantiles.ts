/**
 * Quantile functions: the standard normal (Wichura's AS241 PPND16, ~1e-16 relative) and the
 * chi-square (through the inverse regularised incomplete gamma: qchisq(p, k) = 2 P^-1(p; k/2)).
 */
import { inverseGammaP } from './gamma.ts';
import { requireFinite, requireOpenProbability } from './validate.ts';

function poly(coeffs: readonly number[], r: number): number {
  let acc = 0;
  for (let i = coeffs.length - 1; i >= 0; i--) acc = acc * r + coeffs[i]!;
  return acc;
}

// Wichura MJ (1988) Algorithm AS 241, Applied Statistics 37(3):477-484; coefficients low to high,
// the published 20-digit values rounded to the nearest double (what JavaScript would parse anyway).
const A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946,
  45921.95393154987, 67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597,
  39307.89580009271, 28729.085735721943, 5226.495278852854,
];
const C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045,
  1.2704582524523684, 0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-09,
];
const E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 2.7115555687434876e-05, 2.0103343992922881e-07,
];
const F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  1.8463183175100548e-05, 1.421511758316446e-07, 2.0442631033899397e-15,
];

/** The z with Phi(z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  requireOpenProbability('p', p);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    z = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -z : z;
}

/** The chi-square quantile: x with P(X <= x) = p for X ~ chi-square(df), 0 <= p < 1, df > 0. */
export function chiSquareQuantile(p: number, df: number): number {
  requireFinite('p', p);
  requireFinite('df', df);
  if (df <= 0) throw new RangeError(`df must be > 0, got ${df}`);
  if (p < 0 || p >= 1) throw new RangeError(`p must be in [0, 1), got ${p}`);
  return 2 * inverseGammaP(p, df / 2);
}
