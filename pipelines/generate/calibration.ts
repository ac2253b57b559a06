/**
 * Monthly rate tables per service and STP. A patient's expected events in a month are
 * monthRate[service, stp, month] x ageSex[service][sex][age] x deprivation[service][imd] x frailty
 * x the share of the month they were alive.
 *
 * For A&E attendances and emergency admissions, monthRate is solved so that the expected count in
 * each STP-month equals the real NHS England count per resident (count / mid-2019 LSOA population)
 * times the synthetic STP's person-months: the mean relative rate of the STP's living population
 * (age mix drifting with ageing, deaths and births) is computed analytically from the frame.
 * Months outside the real series use the nearest 12 real months, deseasonalised, with a trend.
 */
import { STPS } from '../../domain/geography.ts';
import type { StpMonthlyActivity, StpPopulation } from '../../domain/reference-data.ts';
import { daysInMonth, monthIndex, parseYearMonth } from './calendar.ts';
import { OLDEST_AGE, REFERENCE_MONTH, type PopulationFrame } from './population-frame.ts';
import {
  AE, BASE_RATE_PER_YEAR, EMERGENCY, MAX_AGE, SERVICE_COUNT, ageSexCurves, covidFactor, deprivationFactors, mortalityMonthFactor,
  mortalityPerYear, seasonality, trend,
} from './rate-model.ts';

const N_STP = STPS.length;

export interface RateTables {
  fromMonth: number;
  months: number;
  /** [(service * N_STP + stp) * months + (month - fromMonth)] */
  monthRate: Float64Array;
  /** Share of emergency admissions that come through A&E, [stp * months + month offset]. */
  viaAeShare: Float64Array;
  ageSex: Float64Array[][];
  deprivation: Float64Array[];
}

interface RealSeries {
  rate: Float64Array; // per resident per month, NaN where missing
  viaAe: Float64Array;
  first: number;
  last: number;
}

function realSeries(activity: readonly StpMonthlyActivity[], populations: readonly StpPopulation[]): RealSeries[][] {
  const months = activity.map((a) => parseYearMonth(a.period.slice(0, 7)));
  const first = Math.min(...months);
  const last = Math.max(...months);
  const n = last - first + 1;
  const popOf = new Map(populations.map((p) => [p.stpCode, p.populationMid2019]));
  const series = [AE, EMERGENCY].map(() => STPS.map(() => ({ rate: new Float64Array(n).fill(NaN), viaAe: new Float64Array(n).fill(NaN), first, last })));
  activity.forEach((a, i) => {
    const stp = STPS.findIndex((s) => s.code === a.stpCode);
    const pop = popOf.get(a.stpCode);
    if (stp < 0 || !pop) return;
    const k = months[i]! - first;
    series[0]![stp]!.rate[k] = a.attTotal / pop;
    series[1]![stp]!.rate[k] = a.emadmTotal / pop;
    series[1]![stp]!.viaAe[k] = a.emadmTotal > 0 ? a.emadmViaAe / a.emadmTotal : 0.7;
  });
  return series;
}

/** Calendar-month index from the first 24 pre-pandemic months of the series. */
function seasonalIndex(s: RealSeries): number[] {
  const sums = new Array<number>(12).fill(0);
  const counts = new Array<number>(12).fill(0);
  let total = 0;
  let n = 0;
  for (let m = s.first; m < Math.min(s.first + 24, monthIndex(2020, 3)); m++) {
    const v = s.rate[m - s.first]!;
    if (Number.isNaN(v)) continue;
    sums[m % 12]! += v;
    counts[m % 12]!++;
    total += v;
    n++;
  }
  const mean = total / n;
  return sums.map((v, i) => (counts[i]! > 0 ? v / counts[i]! / mean : 1));
}

/** The real value, or an extrapolation from the 12 nearest real months. */
function realOrExtrapolated(s: RealSeries, values: Float64Array, month: number, service: number, seasonal: boolean): number {
  if (month >= s.first && month <= s.last && !Number.isNaN(values[month - s.first]!)) return values[month - s.first]!;
  const idx = seasonal ? seasonalIndex(s) : new Array<number>(12).fill(1);
  const start = month < s.first ? s.first : s.last - 11;
  let level = 0;
  let n = 0;
  for (let m = start; m < start + 12; m++) {
    const v = values[m - s.first]!;
    if (Number.isNaN(v)) continue;
    level += v / idx[m % 12]!;
    n++;
  }
  return (level / n) * idx[month % 12]! * (seasonal ? trend(service, month) / trend(service, start + 6) : 1);
}

/** Weights of the frame aggregated to STP x sex x age x IMD decile, and births a month by STP x sex x IMD. */
function aggregateFrame(frame: PopulationFrame): { residents: Float64Array; birthsPerMonth: Float64Array } {
  const residents = new Float64Array(N_STP * 2 * (OLDEST_AGE + 1) * 11);
  const birthsPerMonth = new Float64Array(N_STP * 2 * 11);
  frame.lsoas.forEach((l, i) => {
    const stp = frame.stpIndexOfLsoa[i]!;
    for (let sex = 0; sex < 2; sex++) {
      for (let a = 0; a <= OLDEST_AGE; a++) {
        const f = frame.femaleShare[a]!;
        residents[((stp * 2 + sex) * (OLDEST_AGE + 1) + a) * 11 + l.imdDecile] += l.byAge[a]! * (sex === 0 ? f : 1 - f);
      }
      birthsPerMonth[(stp * 2 + sex) * 11 + l.imdDecile] += (l.byAge[0]! * (sex === 0 ? frame.femaleShare[0]! : 1 - frame.femaleShare[0]!)) / 12;
    }
  });
  return { residents, birthsPerMonth };
}

export function buildRateTables(
  frame: PopulationFrame,
  activity: readonly StpMonthlyActivity[],
  populations: readonly StpPopulation[],
  fromMonth: number,
  toMonth: number,
): RateTables {
  const months = toMonth - fromMonth + 1;
  const ageSex = ageSexCurves();
  const deprivation = Array.from({ length: SERVICE_COUNT }, (_, s) => deprivationFactors(s));
  const { residents, birthsPerMonth } = aggregateFrame(frame);
  const rr = (s: number, sex: number, age: number, imd: number) => ageSex[s]![sex]![Math.min(age, MAX_AGE)]! * deprivation[s]![imd]!;

  // Expected person-months and relative-rate-weighted person-months, per calibrated service, STP and month.
  const exposure = new Float64Array(N_STP * months);
  const weighted = [new Float64Array(N_STP * months), new Float64Array(N_STP * months)];
  for (let stp = 0; stp < N_STP; stp++) {
    for (let sex = 0; sex < 2; sex++) {
      for (let a0 = 0; a0 <= OLDEST_AGE; a0++) {
        for (let imd = 1; imd <= 10; imd++) {
          const w = residents[((stp * 2 + sex) * (OLDEST_AGE + 1) + a0) * 11 + imd]!;
          if (w === 0) continue;
          const mortalityAge = a0 === OLDEST_AGE ? a0 + 2.5 : a0;
          let alive = 1;
          for (let m = Math.min(fromMonth, REFERENCE_MONTH); m <= toMonth; m++) {
            const t = (m - REFERENCE_MONTH + 0.5) / 12;
            const hazard = m >= REFERENCE_MONTH ? (mortalityPerYear(Math.floor(mortalityAge + t + 0.5), sex as 0 | 1, imd) / 12) * mortalityMonthFactor(m) : 0;
            const aliveMid = alive * Math.exp(-hazard / 2);
            alive *= Math.exp(-hazard);
            if (m < fromMonth) continue;
            const k = Math.floor(t);
            const frac = t - k;
            const k0 = a0 + k;
            const pBorn = k0 >= 0 ? 1 : k0 === -1 ? frac : 0; // not yet born before the reference date
            const e = w * aliveMid * pBorn;
            if (e === 0) continue;
            const cell = stp * months + (m - fromMonth);
            exposure[cell] += e;
            for (let c = 0; c < 2; c++) {
              const v = k0 >= 0 ? (1 - frac) * rr(c, sex, k0, imd) + frac * rr(c, sex, k0 + 1, imd) : rr(c, sex, 0, imd);
              weighted[c]![cell] += e * v;
            }
          }
        }
      }
      for (let imd = 1; imd <= 10; imd++) {
        const b = birthsPerMonth[(stp * 2 + sex) * 11 + imd]!;
        if (b === 0) continue;
        for (let m = frame.birthFirstMonth; m <= toMonth; m++) {
          for (let born = frame.birthFirstMonth; born <= m; born++) {
            const e = b * (born === m ? 0.5 : 1);
            const age = Math.floor((m - born) / 12);
            const cell = stp * months + (m - fromMonth);
            exposure[cell] += e;
            for (let c = 0; c < 2; c++) weighted[c]![cell] += e * rr(c, sex, age, imd);
          }
        }
      }
    }
  }

  // Modelled services: base rates normalised over the mid-2019 residents.
  const norm = new Float64Array(SERVICE_COUNT);
  let totalResidents = 0;
  for (let stp = 0; stp < N_STP; stp++)
    for (let sex = 0; sex < 2; sex++)
      for (let a0 = 0; a0 <= OLDEST_AGE; a0++)
        for (let imd = 1; imd <= 10; imd++) {
          const w = residents[((stp * 2 + sex) * (OLDEST_AGE + 1) + a0) * 11 + imd]!;
          totalResidents += w;
          for (let s = 0; s < SERVICE_COUNT; s++) norm[s] += w * rr(s, sex, a0, imd);
        }
  for (let s = 0; s < SERVICE_COUNT; s++) norm[s] /= totalResidents;

  const real = realSeries(activity, populations);
  const monthRate = new Float64Array(SERVICE_COUNT * N_STP * months);
  const viaAeShare = new Float64Array(N_STP * months);
  for (let stp = 0; stp < N_STP; stp++) {
    for (let m = fromMonth; m <= toMonth; m++) {
      const o = m - fromMonth;
      const cell = stp * months + o;
      const ae = realOrExtrapolated(real[0]![stp]!, real[0]![stp]!.rate, m, AE, true);
      const em = realOrExtrapolated(real[1]![stp]!, real[1]![stp]!.rate, m, EMERGENCY, true);
      const via = realOrExtrapolated(real[1]![stp]!, real[1]![stp]!.viaAe, m, EMERGENCY, false);
      viaAeShare[cell] = via;
      const perExposure = exposure[cell]! > 0 ? 1 / exposure[cell]! : 0;
      const meanAe = weighted[0]![cell]! * perExposure;
      const meanEm = weighted[1]![cell]! * perExposure;
      // A&E attendances that lead to an admission are written with the admission, so the
      // independent attendances make up the rest (never less than a fifth, whatever the data).
      const directAe = Math.max(ae - via * em, 0.2 * ae);
      monthRate[(AE * N_STP + stp) * months + o] = meanAe > 0 ? directAe / meanAe : 0;
      monthRate[(EMERGENCY * N_STP + stp) * months + o] = meanEm > 0 ? em / meanEm : 0;
      const yearShare = daysInMonth(m) / 365.25;
      for (let s = 2; s < SERVICE_COUNT; s++) {
        monthRate[(s * N_STP + stp) * months + o] =
          (BASE_RATE_PER_YEAR[s]! * yearShare * seasonality(s, m) * trend(s, m) * covidFactor(s, m)) / norm[s]!;
      }
    }
  }
  return { fromMonth, months, monthRate, viaAeShare, ageSex, deprivation };
}
