/**
 * A patient's dates: birth (consistent with their age at the mid-2019 reference date, or within
 * the period for babies) and death (monthly hazards from the mortality model, from mid-2019 on,
 * since everyone sampled was alive then).
 */
import { daysFromCivil, daysInMonth, monthStartDay } from './calendar.ts';
import type { Rng } from './prng.ts';
import { OLDEST_AGE, REFERENCE_MONTH } from './population-frame.ts';
import { mortalityMonthFactor, mortalityPerYear } from './rate-model.ts';

const REFERENCE_YEAR = 2019;

/** Day number of birth. `age` is the age at the reference date, or -1 for a baby born in the birth window. */
export function drawBirthDay(rng: Rng, age: number, birthFirstMonth: number, birthLastMonth: number): number {
  if (age < 0) {
    const m = birthFirstMonth + rng.int(birthLastMonth - birthFirstMonth + 1);
    return monthStartDay(m) + rng.int(daysInMonth(m));
  }
  // The 90+ group: ages 90 to 104, thinning out roughly as the ONS 90+ estimates do.
  const a = age === OLDEST_AGE ? OLDEST_AGE + Math.min(14, Math.floor(rng.exponential(3.2))) : age;
  // Age a on 1 July 2019 means born from 2 July (2019 - a - 1) to 1 July (2019 - a).
  const lo = daysFromCivil(REFERENCE_YEAR - a - 1, 7, 2);
  const hi = daysFromCivil(REFERENCE_YEAR - a, 7, 1);
  return lo + rng.int(hi - lo + 1);
}

/** Day number of death on or before the last day of `toMonth`, or -1 if alive then. */
export function drawDeathDay(rng: Rng, birthDay: number, sex: 0 | 1, imdDecile: number, toMonth: number): number {
  const birthMonthStart = birthDay;
  for (let m = REFERENCE_MONTH; m <= toMonth; m++) {
    const start = monthStartDay(m);
    const days = daysInMonth(m);
    const from = Math.max(start, birthMonthStart);
    const aliveDays = start + days - from;
    if (aliveDays <= 0) continue;
    const age = Math.floor((from + aliveDays / 2 - birthDay) / 365.25);
    const hazard = (mortalityPerYear(age, sex, imdDecile) / 12) * mortalityMonthFactor(m) * (aliveDays / days);
    if (rng.next() < 1 - Math.exp(-hazard)) return from + rng.int(aliveDays);
  }
  return -1;
}
