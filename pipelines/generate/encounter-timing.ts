/**
 * When an encounter happens within its day and how long it lasts, by service: A&E arrivals peak
 * from late morning to evening, planned care is on weekdays in working hours, and admissions have
 * lengths of stay that rise with age (emergency mean about 4.5 days; elective mostly day cases).
 */
import { weekday } from './calendar.ts';
import type { Rng } from './prng.ts';

/** Relative A&E arrivals by hour of day (NHS England ECDS pattern, rounded). */
const AE_HOURLY = [1.6, 1.3, 1.1, 0.9, 0.8, 0.8, 1.0, 1.6, 2.8, 4.2, 5.0, 5.3, 5.3, 5.2, 5.1, 5.0, 5.0, 5.0, 4.9, 4.6, 4.1, 3.5, 2.8, 2.1];
const AE_HOURLY_CDF = (() => {
  const total = AE_HOURLY.reduce((a, b) => a + b, 0);
  let s = 0;
  return AE_HOURLY.map((v) => (s += v / total));
})();

export function aeArrivalMinute(rng: Rng): number {
  const u = rng.next();
  let h = 0;
  while (h < 23 && u > AE_HOURLY_CDF[h]!) h++;
  return h * 60 + rng.int(60);
}

/** Minutes in A&E: at least an hour, a long tail, at most 12 hours. */
export const aeDurationMinutes = (rng: Rng): number => Math.min(720, 60 + Math.floor(rng.exponential(140)));

/** A day in [first, last], on a weekday where the window has one (three tries). */
export function weekdayIn(rng: Rng, first: number, last: number): number {
  const span = last - first + 1;
  let day = first + rng.int(span);
  for (let t = 0; t < 3; t++) {
    const w = weekday(day);
    if (w !== 0 && w !== 6) return day;
    day = first + rng.int(span);
  }
  return day;
}

/** Whole-day length of stay of an emergency admission; 0 = discharged the same day. */
export function emergencyLengthOfStay(rng: Rng, age: number): number {
  const sameDay = age < 18 ? 0.45 : age < 65 ? 0.35 : age < 80 ? 0.2 : 0.12;
  if (rng.next() < sameDay) return 0;
  const mean = age < 18 ? 2 : age < 65 ? 4 : age < 80 ? 7 : 10;
  return Math.min(120, 1 + Math.floor(rng.exponential(mean - 0.5)));
}

export const ELECTIVE_DAY_CASE_SHARE = 0.78;

export function electiveLengthOfStay(rng: Rng): number {
  return Math.min(60, 1 + Math.floor(rng.exponential(2.3)));
}
