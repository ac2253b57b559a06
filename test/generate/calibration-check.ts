/**
 * Compares a generated record's A&E attendances and emergency admissions with the real NHS England
 * series they were calibrated to: expected count in an STP-month = real count / real STP
 * population (mid-2019, summed from the LSOAs) x the record's person-months in that STP-month.
 */
import { loadStpMonthlyActivity, loadStpPopulations } from '../../domain/reference-data.ts';
import { countEmergencyCare, exposureByStpMonth, loadPatients, monthsBetween } from './record-reader.ts';

export interface StpMonthCheck {
  service: 'ae' | 'emergency';
  stpCode: string;
  month: string;
  observed: number;
  expected: number;
  personMonths: number;
}

export async function compareWithRealSeries(dir: string, from: string, to: string): Promise<StpMonthCheck[]> {
  const patients = await loadPatients(dir);
  const months = monthsBetween(from, to);
  const exposure = exposureByStpMonth(patients.values(), months);
  const counts = await countEmergencyCare(dir, patients);
  const population = new Map(loadStpPopulations().map((p) => [p.stpCode, p.populationMid2019]));
  const checks: StpMonthCheck[] = [];
  for (const a of loadStpMonthlyActivity()) {
    const month = a.period.slice(0, 7);
    if (month < from || month > to) continue;
    const personMonths = exposure.get(`${a.stpCode}|${month}`) ?? 0;
    const pop = population.get(a.stpCode)!;
    for (const [service, real] of [['ae', a.attTotal], ['emergency', a.emadmTotal]] as const) {
      checks.push({ service, stpCode: a.stpCode, month, observed: counts.get(`${service}|${a.stpCode}|${month}`) ?? 0, expected: (real / pop) * personMonths, personMonths });
    }
  }
  return checks;
}

/** Observed / expected over the whole period, by STP. */
export function ratioByStp(checks: StpMonthCheck[], service: StpMonthCheck['service']): Map<string, number> {
  const sums = new Map<string, [number, number]>();
  for (const c of checks) {
    if (c.service !== service) continue;
    const s = sums.get(c.stpCode) ?? [0, 0];
    sums.set(c.stpCode, [s[0] + c.observed, s[1] + c.expected]);
  }
  return new Map([...sums].map(([k, [o, e]]) => [k, o / e]));
}
