/**
 * Optional long-term conditions (`--conditions`), for population segmentation. Prevalence by age
 * follows the Quality and Outcomes Framework's English registers in rough shape (hypertension
 * ~14% overall, diabetes ~7%, ...), higher with deprivation, and higher for people with a high
 * health-care frailty so that segments differ in their use of services. Drawn after all
 * encounters from the same patient stream, so `--conditions` never changes the encounters.
 */
import { dateString, monthStartDay } from './calendar.ts';
import { conditionLine } from './fhir-lines.ts';
import type { Rng } from './prng.ts';

interface LongTermCondition {
  code: string;
  display: string;
  /** [age, prevalence] anchors; linear in between. */
  prevalence: readonly (readonly [number, number])[];
  minOnsetAge: number;
  deprivationRatio: number;
}

const CONDITIONS: readonly LongTermCondition[] = [
  { code: '38341003', display: 'Hypertensive disorder', prevalence: [[0, 0], [30, 0.02], [50, 0.15], [70, 0.45], [85, 0.6]], minOnsetAge: 25, deprivationRatio: 1.3 },
  { code: '44054006', display: 'Diabetes mellitus type 2', prevalence: [[0, 0], [30, 0.01], [50, 0.08], [70, 0.2], [85, 0.22]], minOnsetAge: 25, deprivationRatio: 1.8 },
  { code: '195967001', display: 'Asthma', prevalence: [[0, 0.02], [10, 0.08], [40, 0.07], [80, 0.08]], minOnsetAge: 2, deprivationRatio: 1.3 },
  { code: '13645005', display: 'Chronic obstructive lung disease', prevalence: [[0, 0], [40, 0.005], [60, 0.04], [75, 0.09], [90, 0.08]], minOnsetAge: 40, deprivationRatio: 2.5 },
  { code: '53741008', display: 'Coronary arteriosclerosis', prevalence: [[0, 0], [40, 0.005], [60, 0.05], [75, 0.14], [90, 0.2]], minOnsetAge: 35, deprivationRatio: 1.6 },
  { code: '52448006', display: 'Dementia', prevalence: [[0, 0], [65, 0.01], [75, 0.05], [85, 0.18], [95, 0.35]], minOnsetAge: 60, deprivationRatio: 1.2 },
  { code: '35489007', display: 'Depressive disorder', prevalence: [[0, 0], [15, 0.03], [25, 0.12], [50, 0.14], [80, 0.1]], minOnsetAge: 12, deprivationRatio: 1.5 },
  { code: '709044004', display: 'Chronic kidney disease', prevalence: [[0, 0], [40, 0.005], [60, 0.04], [75, 0.15], [90, 0.3]], minOnsetAge: 40, deprivationRatio: 1.3 },
];

function interpolate(anchors: readonly (readonly [number, number])[], age: number): number {
  for (let i = 1; i < anchors.length; i++) {
    const [a1, v1] = anchors[i]!;
    if (age <= a1) {
      const [a0, v0] = anchors[i - 1]!;
      return v0 + ((v1 - v0) * (age - a0)) / (a1 - a0);
    }
  }
  return anchors[anchors.length - 1]![1];
}

export function emitConditions(
  rng: Rng, ids: { next: number }, patientId: string, birthDay: number, deathDay: number, toMonth: number, _sex: 0 | 1, imd: number, frailty: number,
): { lines: string; count: number } {
  const lastDay = deathDay >= 0 ? deathDay : monthStartDay(toMonth + 1) - 1;
  const age = (lastDay - birthDay) / 365.25;
  let lines = '';
  let count = 0;
  for (const c of CONDITIONS) {
    const deprivation = 1 + ((c.deprivationRatio - 1) * (10 - imd)) / 9;
    const p = Math.min(0.95, interpolate(c.prevalence, age) * deprivation * (0.4 + 0.6 * frailty) * 0.85);
    if (age < c.minOnsetAge || rng.next() >= p) continue;
    const onsetAge = c.minOnsetAge + rng.next() * (age - c.minOnsetAge);
    const onset = Math.min(lastDay, birthDay + Math.floor(onsetAge * 365.25));
    lines += conditionLine({ id: String(ids.next++).padStart(8, '0'), patientId, code: c.code, display: c.display, onsetDate: dateString(onset) });
    count++;
  }
  return { lines, count };
}
