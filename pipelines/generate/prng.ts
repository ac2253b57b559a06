/**
 * Small, fast, seedable PRNG (sfc32) with the draws the simulator needs. Each patient gets its
 * own stream derived from (seed, patient index), so a patient's record does not depend on how many
 * random numbers earlier patients used: output is reproducible and could be sharded.
 */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number) {
    // Mix both words separately: index and seed must not commute (seed 1 stream 2 != seed 2 stream 1).
    const s = splitmix32(seed ^ 0x5bd1e995);
    const hi = Math.floor(stream / 0x100000000);
    this.a = splitmix32(s ^ stream);
    this.b = splitmix32(this.a ^ hi ^ 0x68e31da4);
    this.c = splitmix32(this.b ^ s);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Poisson by inversion: the rates here are small (mostly < 2 per month), so this is fastest. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    let p = Math.exp(-lambda);
    let f = p;
    const u = this.next();
    let k = 0;
    while (u > f && k < 200) {
      k++;
      p *= lambda / k;
      f += p;
    }
    return k;
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Gamma with integer shape k and mean 1 (sum of k exponentials / k). */
  gammaMeanOne(k: number): number {
    let s = 0;
    for (let i = 0; i < k; i++) s -= Math.log(1 - this.next());
    return s / k;
  }

  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}
