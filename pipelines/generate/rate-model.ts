/**
 * The activity and mortality model: who uses which service how often. Shapes are set from
 * published English patterns (HES, GPAD and ONS life tables, rounded); levels are normalised so
 * that the mid-2019 population of the five exemplars has the base rates below. A&E attendances
 * and emergency admissions are then calibrated to the real monthly series (calibration.ts).
 * Service index order is domain/services.ts: 0 A&E, 1 emergency, 2 elective, 3 outpatient,
 * 4 GP, 5 community.
 */
import { formatYearMonth, monthOfYear, monthYear } from './calendar.ts';

export const SERVICE_COUNT = 6;
export const MAX_AGE = 110;
export const AE = 0;
export const EMERGENCY = 1;
export const ELECTIVE = 2;
export const OUTPATIENT = 3;
export const GP = 4;
export const COMMUNITY = 5;

/** Events per person-year in England, roughly (2019). */
export const BASE_RATE_PER_YEAR = [0.4, 0.1, 0.14, 1.8, 5.0, 1.5] as const;

/** Relative use by age: [age, value] anchors, linear in between (J and U shapes). */
const AGE_ANCHORS: readonly (readonly [number, number])[][] = [
  [[0, 2.1], [2, 1.3], [5, 0.75], [12, 0.7], [18, 1.1], [25, 0.95], [45, 0.85], [65, 1.05], [75, 1.5], [85, 2.5], [90, 3.0]],
  [[0, 2.0], [2, 0.7], [5, 0.3], [15, 0.45], [25, 0.55], [45, 0.8], [65, 1.7], [75, 3.2], [85, 6.0], [90, 7.0]],
  [[0, 0.3], [15, 0.35], [25, 0.6], [45, 1.2], [65, 2.4], [75, 2.9], [85, 2.0], [90, 1.5]],
  [[0, 0.9], [2, 0.5], [15, 0.55], [25, 0.8], [45, 1.1], [65, 1.8], [75, 2.2], [85, 2.0], [90, 1.8]],
  [[0, 1.6], [2, 0.9], [5, 0.5], [15, 0.65], [25, 0.85], [45, 1.0], [65, 1.4], [75, 1.8], [85, 2.2], [90, 2.3]],
  [[0, 2.0], [2, 0.6], [5, 0.3], [15, 0.25], [45, 0.35], [65, 1.2], [75, 3.0], [85, 8.0], [90, 10.0]],
];

/** Females relative to males (before normalisation). */
const FEMALE_FACTOR = [0.95, 1.0, 1.1, 1.2, 1.3, 1.25] as const;

/** Most deprived decile relative to least deprived, linear in decile. */
const DEPRIVATION_RATIO = [1.8, 1.7, 1.1, 1.15, 1.3, 1.4] as const;

/** Calendar-month pattern (January first) of the modelled services; mean about 1. */
const SEASONALITY: readonly (readonly number[])[] = [
  [0.97, 0.92, 1.0, 0.98, 1.04, 1.04, 1.07, 1.0, 1.0, 1.0, 0.99, 0.99],
  [1.07, 0.98, 1.02, 0.96, 0.99, 0.96, 1.0, 0.95, 0.96, 1.01, 1.03, 1.07],
  [1.02, 1.03, 1.08, 0.97, 1.0, 1.03, 1.04, 0.9, 1.02, 1.05, 1.04, 0.82],
  [1.02, 1.02, 1.06, 0.96, 1.0, 1.03, 1.04, 0.92, 1.01, 1.05, 1.04, 0.85],
  [1.1, 1.05, 1.05, 0.95, 0.98, 0.98, 0.97, 0.88, 1.02, 1.08, 1.08, 0.86],
  [1.08, 1.04, 1.03, 0.97, 0.99, 0.98, 0.98, 0.93, 0.99, 1.01, 1.02, 0.98],
];

/** Underlying (non-COVID) growth per year from 2019. */
const TREND_PER_YEAR = [0.015, 0.012, 0.01, 0.02, 0.015, 0.02] as const;

/**
 * COVID-19 disruption for the modelled services (A&E and emergency admissions take theirs from the
 * real series). Elective care and outpatients fell furthest, GP least (much moved to remote).
 */
const COVID_FACTOR: Record<string, readonly number[]> = {
  '2020-03': [0.8, 0.9, 0.8, 0.85, 0.9, 0.9],
  '2020-04': [0.45, 0.65, 0.4, 0.55, 0.7, 0.7],
  '2020-05': [0.6, 0.75, 0.45, 0.6, 0.75, 0.75],
  '2020-06': [0.72, 0.85, 0.6, 0.75, 0.85, 0.85],
  '2020-07': [0.8, 0.9, 0.72, 0.85, 0.9, 0.9],
  '2020-08': [0.82, 0.9, 0.78, 0.9, 0.92, 0.93],
  '2020-09': [0.83, 0.92, 0.85, 0.95, 0.97, 0.95],
  '2020-10': [0.83, 0.92, 0.88, 0.97, 0.97, 0.96],
  '2020-11': [0.78, 0.9, 0.85, 0.95, 0.97, 0.96],
  '2020-12': [0.78, 0.9, 0.85, 0.95, 0.97, 0.96],
  '2021-01': [0.65, 0.85, 0.6, 0.85, 0.95, 0.93],
  '2021-02': [0.7, 0.85, 0.7, 0.9, 0.97, 0.95],
  '2021-03': [0.85, 0.92, 0.85, 0.97, 1.0, 0.98],
  '2021-04': [0.92, 0.95, 0.92, 1.0, 1.0, 1.0],
};

export function covidFactor(service: number, month: number): number {
  const row = COVID_FACTOR[formatYearMonth(month)];
  if (row) return row[service]!;
  // Elective recovery was slow: below pre-pandemic trend through 2021.
  if (service === ELECTIVE && monthYear(month) === 2021) return 0.95;
  return 1;
}

export function seasonality(service: number, month: number): number {
  return SEASONALITY[service]![monthOfYear(month) - 1]!;
}

export function trend(service: number, month: number): number {
  return Math.pow(1 + TREND_PER_YEAR[service]!, (month - (2019 * 12 + 6)) / 12);
}

function interpolate(anchors: readonly (readonly [number, number])[], age: number): number {
  if (age <= anchors[0]![0]) return anchors[0]![1];
  for (let i = 1; i < anchors.length; i++) {
    const [a1, v1] = anchors[i]!;
    if (age <= a1) {
      const [a0, v0] = anchors[i - 1]!;
      return v0 + ((v1 - v0) * (age - a0)) / (a1 - a0);
    }
  }
  return anchors[anchors.length - 1]![1];
}

/** Unnormalised relative rate by service, sex (0 female, 1 male) and age 0..MAX_AGE. */
export function ageSexCurves(): Float64Array[][] {
  return AGE_ANCHORS.map((anchors, s) =>
    [0, 1].map((sex) => Float64Array.from({ length: MAX_AGE + 1 }, (_, age) => interpolate(anchors, age) * (sex === 0 ? FEMALE_FACTOR[s]! : 1))),
  );
}

/** Relative rate by IMD decile (index 1..10; 1 most deprived), least deprived = 1. */
export function deprivationFactors(service: number): Float64Array {
  const ratio = DEPRIVATION_RATIO[service]!;
  return Float64Array.from({ length: 11 }, (_, d) => (d === 0 ? 1 : 1 + ((ratio - 1) * (10 - d)) / 9));
}

/**
 * Annual mortality hazard (Gompertz fitted by eye to ONS England life tables 2017-19: about 1.2 per
 * 1,000 at 40, 8 at 60, 50 at 80), infants higher, men higher, and a deprivation gradient.
 */
function mortalityModel(age: number, sex: 0 | 1, imdDecile: number): number {
  let h: number;
  if (age === 0) h = 0.0039;
  else if (age < 15) h = 0.0001;
  else h = Math.max(0.0003, Math.exp(-10.6 + 0.0935 * age));
  const sexFactor = sex === 1 ? 1.22 : 0.82;
  const deprivation = 0.78 + (0.78 * (10 - imdDecile)) / 9;
  return Math.min(0.6, h * sexFactor * deprivation);
}

/** Looked up once per patient-month, so tabulated by sex x age x IMD decile. */
const MORTALITY_TABLE = Float64Array.from({ length: 2 * (MAX_AGE + 1) * 11 }, (_, i) => {
  const imd = i % 11;
  const age = Math.floor(i / 11) % (MAX_AGE + 1);
  const sex = Math.floor(i / (11 * (MAX_AGE + 1))) as 0 | 1;
  return mortalityModel(age, sex, Math.max(1, imd));
});

/**
 * Annual mortality hazard (Gompertz fitted by eye to ONS England life tables 2017-19: about 1.2 per
 * 1,000 at 40, 8 at 60, 50 at 80), infants higher, men higher, and a deprivation gradient.
 */
export function mortalityPerYear(age: number, sex: 0 | 1, imdDecile: number): number {
  const a = age < 0 ? 0 : age > MAX_AGE ? MAX_AGE : age;
  return MORTALITY_TABLE[(sex * (MAX_AGE + 1) + a) * 11 + imdDecile]!;
}

/** Deaths relative to an average month: winter peaks and the COVID-19 waves (ONS weekly deaths). */
const DEATH_EXCESS: Record<string, number> = {
  '2020-04': 2.0, '2020-05': 1.3, '2020-10': 1.05, '2020-11': 1.15, '2020-12': 1.2,
  '2021-01': 1.5, '2021-02': 1.2, '2022-12': 1.15, '2023-01': 1.1,
};
const DEATH_SEASON = [1.15, 1.08, 1.05, 0.97, 0.95, 0.92, 0.92, 0.9, 0.92, 0.98, 1.02, 1.12];

const monthFactorCache = new Map<number, number>();

export function mortalityMonthFactor(month: number): number {
  let f = monthFactorCache.get(month);
  if (f === undefined) {
    f = (DEATH_EXCESS[formatYearMonth(month)] ?? 1) * DEATH_SEASON[monthOfYear(month) - 1]!;
    monthFactorCache.set(month, f);
  }
  return f;
}

/** Share of GP appointments held remotely (telephone or video; FHIR class VR). */
export function remoteGpShare(month: number): number {
  if (month < 2020 * 12 + 2) return 0.12;
  if (month === 2020 * 12 + 2) return 0.3;
  if (month <= 2020 * 12 + 5) return 0.55;
  if (month >= 2021 * 12 + 5) return 0.35;
  return 0.55 - (0.2 * (month - (2020 * 12 + 5))) / 12;
}
