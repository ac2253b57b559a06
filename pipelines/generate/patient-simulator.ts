/**
 * One patient's record: who they are, when they were born and died, and every encounter in the
 * period, month by month (events per month ~ Poisson with the rate tables' intensity). All
 * randomness comes from the patient's own stream, so the record depends only on (seed, index).
 */
import { STPS } from '../../domain/geography.ts';
import { asciiBytes, type ByteBuffer } from './byte-buffer.ts';
import { dateString, daysInMonth, monthStartDay } from './calendar.ts';
import type { RateTables } from './calibration.ts';
import { emitConditions } from './conditions.ts';
import { aeArrivalMinute, aeDurationMinutes, ELECTIVE_DAY_CASE_SHARE, electiveLengthOfStay, emergencyLengthOfStay, weekdayIn } from './encounter-timing.ts';
import { patientLine, writeEncounter, type EncounterKind } from './fhir-lines.ts';
import { acuteProvider, acuteTrustCount, communityProvider, syntheticIdentity } from './identity.ts';
import { drawBirthDay, drawDeathDay } from './life-course.ts';
import type { PopulationFrame } from './population-frame.ts';
import { Rng } from './prng.ts';
import { AE, COMMUNITY, ELECTIVE, EMERGENCY, GP, MAX_AGE, OUTPATIENT, remoteGpShare, SERVICE_COUNT } from './rate-model.ts';

const N_STP = STPS.length;
const FRAILTY_SHAPE = 3;
export const OPT_OUT_SHARE = 0.05;

export interface SimulationContext {
  seed: number;
  patients: number;
  sampleStart: number;
  fromMonth: number;
  toMonth: number;
  frame: PopulationFrame;
  rates: RateTables;
  /** Per LSOA: GP practice code and the index of the patient's nearest acute trust. */
  practiceOfLsoa: string[];
  homeTrustOfLsoa: Uint8Array;
  patientIdWidth: number;
  encounterIdWidth: number;
  conditions: boolean;
}

export interface PatientOutput {
  patient: string;
  /** Encounter lines were appended to the buffer passed in. */
  encounterCount: number;
  conditions: string;
  conditionCount: number;
  optedOut: boolean;
}

export class PatientSimulator {
  private nextEncounter: number;
  private readonly conditionIds: { next: number };
  private readonly practiceBytes: Uint8Array[] = [];
  private readonly mult = new Float64Array(SERVICE_COUNT);

  private readonly providers = {
    acute: STPS.map((_, stp) => Array.from({ length: acuteTrustCount(stp) }, (_, k) => asciiBytes(acuteProvider(stp, k)))),
    community: STPS.map((_, stp) => asciiBytes(communityProvider(stp))),
  };

  /** `firstId`: the first encounter and condition id number (a shard's own range, so ids never collide). */
  constructor(
    private readonly ctx: SimulationContext,
    firstId = 1,
  ) {
    this.nextEncounter = firstId;
    this.conditionIds = { next: firstId };
  }

  simulate(index: number, nhsNumber: string, encounters: ByteBuffer): PatientOutput {
    const { ctx } = this;
    const rng = new Rng(ctx.seed, index);
    const slot = ctx.frame.locate(ctx.frame.position(index, ctx.patients, ctx.sampleStart));
    const lsoa = ctx.frame.lsoas[slot.lsoaIndex]!;
    const stp = ctx.frame.stpIndexOfLsoa[slot.lsoaIndex]!;
    const imd = lsoa.imdDecile;
    const sex = slot.sex;
    const birthDay = drawBirthDay(rng, slot.age, ctx.frame.birthFirstMonth, ctx.frame.birthLastMonth);
    const deathDay = drawDeathDay(rng, birthDay, sex, imd, ctx.toMonth);
    const frailty = rng.gammaMeanOne(FRAILTY_SHAPE);
    const identity = syntheticIdentity(rng, sex);
    const optedOut = rng.next() < OPT_OUT_SHARE;
    const id = String(index + 1).padStart(ctx.patientIdWidth, '0');
    const practice = ctx.practiceOfLsoa[slot.lsoaIndex]!;
    const homeTrust = ctx.homeTrustOfLsoa[slot.lsoaIndex]!;
    const patient = patientLine({
      id, nhsNumber, family: identity.family, given: identity.given, gender: sex === 0 ? 'female' : 'male',
      birthDate: dateString(birthDay), deceasedDate: deathDay >= 0 ? dateString(deathDay) : null,
      line: identity.line, postalCode: identity.postalCode, lsoa11: lsoa.lsoa11, gpPractice: practice,
    });

    for (let s = 0; s < SERVICE_COUNT; s++) this.mult[s] = ctx.rates.deprivation[s]![imd]! * frailty;
    const lastMinute = deathDay >= 0 ? deathDay * 1440 + 1439 : Number.MAX_SAFE_INTEGER;
    // Events start inside --from..--to: an admission after an A&E stay that runs past midnight
    // on the period's last day is admitted at its last minute, not in the month after.
    const periodLastMinute = monthStartDay(ctx.toMonth + 1) * 1440 - 1;
    const { monthRate, months, ageSex, viaAeShare } = ctx.rates;
    const trusts = acuteTrustCount(stp);
    const practiceBytes = (this.practiceBytes[slot.lsoaIndex] ??= asciiBytes(practice));
    let count = 0;
    const emit = (kind: EncounterKind, startMinute: number, endMinute: number, provider: Uint8Array) => {
      writeEncounter(encounters, this.nextEncounter++, ctx.encounterIdWidth, kind, index + 1, ctx.patientIdWidth, startMinute, Math.min(endMinute, lastMinute), provider);
      count++;
    };
    const acute = () => this.providers.acute[stp]![rng.next() < 0.88 ? homeTrust : rng.int(trusts)]!;

    for (let m = ctx.fromMonth; m <= ctx.toMonth; m++) {
      const monthStart = monthStartDay(m);
      const monthDays = daysInMonth(m);
      const first = Math.max(monthStart, birthDay);
      const last = deathDay >= 0 ? Math.min(monthStart + monthDays - 1, deathDay) : monthStart + monthDays - 1;
      if (last < first) {
        if (deathDay >= 0 && deathDay < monthStart) break;
        continue;
      }
      const exposure = (last - first + 1) / monthDays;
      const age = Math.min(MAX_AGE, Math.floor(((first + last) / 2 - birthDay) / 365.25));
      const o = m - ctx.fromMonth;
      const span = last - first + 1;
      for (let s = 0; s < SERVICE_COUNT; s++) {
        const lambda = monthRate[(s * N_STP + stp) * months + o]! * ageSex[s]![sex]![age]! * this.mult[s]! * exposure;
        const n = rng.poisson(lambda);
        for (let k = 0; k < n; k++) {
          if (s === AE) {
            const start = (first + rng.int(span)) * 1440 + aeArrivalMinute(rng);
            emit('ae', start, start + aeDurationMinutes(rng), acute());
          } else if (s === EMERGENCY) {
            const provider = acute();
            let start = (first + rng.int(span)) * 1440 + aeArrivalMinute(rng);
            if (rng.next() < viaAeShare[stp * months + o]!) {
              const aeEnd = start + aeDurationMinutes(rng);
              emit('ae', start, aeEnd, provider);
              start = Math.min(aeEnd, lastMinute, periodLastMinute);
            }
            const startDay = Math.floor(start / 1440);
            const los = emergencyLengthOfStay(rng, age);
            const end = los === 0 ? Math.min(start + 180 + rng.int(420), startDay * 1440 + 1439) : (startDay + los) * 1440 + 600 + rng.int(540);
            emit('emergency', start, end, provider);
          } else if (s === ELECTIVE) {
            const day = weekdayIn(rng, first, last);
            const start = day * 1440 + 450 + rng.int(330);
            if (rng.next() < ELECTIVE_DAY_CASE_SHARE) emit('electiveDayCase', start, start + 180 + rng.int(300), acute());
            else emit('electiveInpatient', start, (day + electiveLengthOfStay(rng)) * 1440 + 600 + rng.int(480), acute());
          } else if (s === OUTPATIENT) {
            const start = weekdayIn(rng, first, last) * 1440 + 540 + rng.int(460);
            emit('outpatient', start, start + 20 + rng.int(25), acute());
          } else if (s === GP) {
            const start = weekdayIn(rng, first, last) * 1440 + 480 + rng.int(590);
            emit(rng.next() < remoteGpShare(m) ? 'gpRemote' : 'gp', start, start + 10 + rng.int(6), practiceBytes);
          } else if (s === COMMUNITY) {
            const start = weekdayIn(rng, first, last) * 1440 + 510 + rng.int(510);
            emit('community', start, start + 30 + rng.int(31), this.providers.community[stp]!);
          }
        }
      }
    }
    const conditions = ctx.conditions ? emitConditions(rng, this.conditionIds, id, birthDay, deathDay, ctx.toMonth, sex, imd, frailty) : { lines: '', count: 0 };
    return { patient, encounterCount: count, conditions: conditions.lines, conditionCount: conditions.count, optedOut };
  }
}
