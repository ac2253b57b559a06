import { maseScale, smapeTerm } from '../metrics.ts';

/** Accumulates MASE, sMAPE and interval coverage over many forecasts (bench reporting). */
export class Scorer {
  private ase = 0;
  private kMase = 0;
  private sm = 0;
  private c80 = 0;
  private c95 = 0;
  private k = 0;
  private kCov = 0;
  add(train: readonly number[], m: number, actual: readonly number[], f: readonly { value: number; lo80?: number; hi80?: number; lo95?: number; hi95?: number }[]): void {
    const scale = maseScale(train, m);
    actual.forEach((a, i) => {
      const p = f[i]!;
      this.sm += smapeTerm(a, p.value);
      this.k++;
      if (Number.isFinite(scale)) { this.ase += Math.abs(a - p.value) / scale; this.kMase++; }
      if (p.lo80 !== undefined && p.hi80 !== undefined && p.lo95 !== undefined && p.hi95 !== undefined) {
        this.kCov++;
        if (a >= p.lo80 && a <= p.hi80) this.c80++;
        if (a >= p.lo95 && a <= p.hi95) this.c95++;
      }
    });
  }
  result(): { mase: number; smape: number; cov80: number | null; cov95: number | null; n: number } {
    return {
      mase: this.ase / this.kMase,
      smape: this.sm / this.k,
      cov80: this.kCov ? this.c80 / this.kCov : null,
      cov95: this.kCov ? this.c95 / this.kCov : null,
      n: this.k,
    };
  }
}
