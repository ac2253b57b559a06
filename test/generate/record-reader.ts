/**
 * Test helpers that read a generated record back with no help from the generator's code: lines
 * from NDJSON(.gz) files, patients' dates and STPs, and counts of A&E attendances and emergency
 * admissions by STP and month, with person-months as the denominator.
 */
import { createReadStream, readdirSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { loadLsoaPopulations } from '../../domain/reference-data.ts';

export function recordFiles(dir: string, resourceType: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${resourceType}.`) && /\.ndjson(\.gz)?$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Lines of an NDJSON file (our files are ASCII; chunked splitting is far faster than readline on GBs). */
export async function* readLines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  let rest = '';
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line.length > 0) yield line;
  }
  if (rest.length > 0) yield rest;
}

export interface PatientFacts {
  id: string;
  nhsNumber: string;
  birthDate: string;
  deathDate: string | null;
  stpCode: string;
  lsoa11: string;
}

let stpOfLsoa: Map<string, string> | null = null;
export function stpOf(lsoa11: string): string {
  stpOfLsoa ??= new Map(loadLsoaPopulations().map((l) => [l.lsoa11, l.stpCode]));
  const stp = stpOfLsoa.get(lsoa11);
  if (!stp) throw new Error(`unknown LSOA ${lsoa11}`);
  return stp;
}

interface FhirPatient {
  id: string;
  identifier: { system: string; value: string }[];
  birthDate: string;
  deceasedDateTime?: string;
  address: { extension: { url: string; valueCode: string }[] }[];
}

export async function loadPatients(dir: string): Promise<Map<string, PatientFacts>> {
  const patients = new Map<string, PatientFacts>();
  for (const file of recordFiles(dir, 'Patient')) {
    for await (const line of readLines(file)) {
      const p = JSON.parse(line) as FhirPatient;
      const lsoa11 = p.address[0]!.extension[0]!.valueCode;
      patients.set(p.id, {
        id: p.id,
        nhsNumber: p.identifier[0]!.value,
        birthDate: p.birthDate,
        deathDate: p.deceasedDateTime ?? null,
        stpCode: stpOf(lsoa11),
        lsoa11,
      });
    }
  }
  return patients;
}

const dayOf = (iso: string) => Date.parse(iso.slice(0, 10) + 'T00:00:00Z') / 86_400_000;

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    if (ym > to) return out;
    out.push(ym);
    if (++m === 13) [y, m] = [y + 1, 1];
  }
}

/** Person-months alive in each STP-month, counting birth and death days as alive. */
export function exposureByStpMonth(patients: Iterable<PatientFacts>, months: string[]): Map<string, number> {
  const exposure = new Map<string, number>();
  const bounds = months.map((ym) => {
    const start = dayOf(`${ym}-01`);
    const [y, m] = ym.split('-').map(Number) as [number, number];
    const end = dayOf(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
    return { ym, start, end };
  });
  for (const p of patients) {
    const birth = dayOf(p.birthDate);
    const deathEnd = p.deathDate ? dayOf(p.deathDate) + 1 : Infinity;
    for (const { ym, start, end } of bounds) {
      const days = Math.min(end, deathEnd) - Math.max(start, birth);
      if (days > 0) exposure.set(`${p.stpCode}|${ym}`, (exposure.get(`${p.stpCode}|${ym}`) ?? 0) + days / (end - start));
    }
  }
  return exposure;
}

/**
 * Counts of A&E attendances (class EMER) and emergency admissions (class IMP, priority EM) by
 * `service|stp|YYYY-MM` of the start. Reads the fields by position in the text, not JSON.parse,
 * because the large in-test record has millions of lines.
 */
export async function countEmergencyCare(dir: string, patients: Map<string, PatientFacts>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of recordFiles(dir, 'Encounter')) {
    for await (const line of readLines(file)) {
      let service: string;
      if (line.includes('"code":"EMER"')) service = 'ae';
      else if (line.includes('"code":"IMP"') && line.includes('ActPriority","code":"EM"')) service = 'emergency';
      else continue;
      const ref = line.indexOf('"reference":"Patient/') + 21;
      const patientId = line.slice(ref, line.indexOf('"', ref));
      const start = line.indexOf('"start":"') + 9;
      const key = `${service}|${patients.get(patientId)!.stpCode}|${line.slice(start, start + 7)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
