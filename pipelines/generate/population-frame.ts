/**
 * The sampling frame: every resident of the five exemplars at mid-2019 (LSOA x single year of
 * age x sex, from ONS), plus the babies born in the generated period. Patients are drawn by
 * systematic sampling along the cumulative weights (sorted by STP, LSOA, sex, age), so a sample
 * of any size has each STP's, LSOA's and age group's share right to within one person instead of
 * a multinomial draw's noise. Memory is fixed by the frame (about 20 MB), not by the sample size.
 */
import { STPS } from '../../domain/geography.ts';
import type { LsoaPopulation } from '../../domain/reference-data.ts';
import { monthIndex } from './calendar.ts';

/** Ages are given at this date (ONS mid-year estimates refer to 30 June). */
export const REFERENCE_MONTH = monthIndex(2019, 7);
export const OLDEST_AGE = 90;

const CELLS_PER_LSOA = 2 + 2 * (OLDEST_AGE + 1);

export interface FrameSlot {
  lsoaIndex: number;
  /** 0 female, 1 male */
  sex: 0 | 1;
  /** age at the reference date, or -1 for a baby born in the period */
  age: number;
}

export class PopulationFrame {
  readonly cumulative: Float64Array;
  readonly total: number;
  readonly stpIndexOfLsoa: Uint8Array;
  /** Months in which births are generated: [birthFirstMonth, birthLastMonth]; empty when first > last. */
  readonly birthFirstMonth: number;
  readonly birthLastMonth: number;

  constructor(
    readonly lsoas: readonly LsoaPopulation[],
    readonly femaleShare: Float64Array,
    fromMonth: number,
    toMonth: number,
  ) {
    this.birthFirstMonth = Math.max(fromMonth, REFERENCE_MONTH);
    this.birthLastMonth = toMonth;
    const birthYears = Math.max(0, this.birthLastMonth - this.birthFirstMonth + 1) / 12;
    const stpOrder = new Map(STPS.map((s, i) => [s.code, i]));
    this.stpIndexOfLsoa = Uint8Array.from(lsoas, (l) => {
      const i = stpOrder.get(l.stpCode);
      if (i === undefined) throw new Error(`LSOA ${l.lsoa11} has unknown STP ${l.stpCode}`);
      return i;
    });
    this.cumulative = new Float64Array(lsoas.length * CELLS_PER_LSOA);
    let sum = 0;
    let c = 0;
    for (const l of lsoas) {
      // Births a year are approximated by the LSOA's infants under one.
      const births = l.byAge[0]! * birthYears;
      sum += births * femaleShare[0]!;
      this.cumulative[c++] = sum;
      sum += births * (1 - femaleShare[0]!);
      this.cumulative[c++] = sum;
      for (let sex = 0; sex < 2; sex++) {
        for (let a = 0; a <= OLDEST_AGE; a++) {
          const f = femaleShare[a]!;
          sum += l.byAge[a]! * (sex === 0 ? f : 1 - f);
          this.cumulative[c++] = sum;
        }
      }
    }
    this.total = sum;
  }

  /** Weight of residents at the reference date (excluding births). */
  residentsTotal(): number {
    let s = 0;
    for (const l of this.lsoas) for (let a = 0; a <= OLDEST_AGE; a++) s += l.byAge[a]!;
    return s;
  }

  /** The cell holding position x in [0, total). */
  locate(x: number): FrameSlot {
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    const lsoaIndex = Math.floor(lo / CELLS_PER_LSOA);
    const r = lo - lsoaIndex * CELLS_PER_LSOA;
    if (r < 2) return { lsoaIndex, sex: r as 0 | 1, age: -1 };
    const k = r - 2;
    return { lsoaIndex, sex: k > OLDEST_AGE ? 1 : 0, age: k % (OLDEST_AGE + 1) };
  }

  /** Systematic sample position of patient i of n, with a seed-derived start in [0, 1). */
  position(i: number, n: number, start: number): number {
    return Math.min(((i + start) * this.total) / n, this.total * (1 - 1e-12));
  }
}
