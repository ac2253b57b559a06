/**
 * Splits a shared care record (the pipeline's input folder) into one record per region, as the
 * five exemplars would each hold theirs: a patient goes where its LSOA lies (the committed LSOA
 * reference), its encounters and conditions go with it, and the opt-out list is split by the
 * region of the patient each NHS number belongs to. Every line goes to exactly one region, so the
 * five records together are the whole record; a line we cannot place (an LSOA outside the five,
 * an encounter of an unknown patient, an opt-out of nobody) goes to the first region, where the
 * pipeline rejects it exactly as it would in the whole record.
 */
import { createReadStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { REGIONS, type RegionCode } from '../../domain/geography.ts';
import { loadLsoaPopulations } from '../../domain/reference-data.ts';

const LSOA_URL = 'https://lhcre-planner.nhs.invalid/fhir/StructureDefinition/lsoa-2011';
const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const OPT_OUT = 'national-data-opt-out.txt';
const FALLBACK: RegionCode = REGIONS[0].code;

type Json = Record<string, unknown>;
const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Json[]) : []);

async function* lines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line.length) yield line;
}

function lsoaOf(p: Json): string | null {
  for (const a of asArray(p.address)) for (const e of asArray(a.extension)) if (e.url === LSOA_URL && typeof e.valueCode === 'string') return e.valueCode;
  return null;
}

function nhsNumberOf(p: Json): string | null {
  const id = asArray(p.identifier).find((i) => i.system === NHS_NUMBER_SYSTEM);
  return typeof id?.value === 'string' ? id.value : null;
}

function subjectOf(r: Json): string | null {
  const ref = (r.subject as Json | undefined)?.reference;
  return typeof ref === 'string' && ref.startsWith('Patient/') ? ref.slice('Patient/'.length) : null;
}

export interface SplitResult {
  /** Region -> its record folder. */
  dirs: Record<RegionCode, string>;
  /** Region -> lines written per file name (Patient.000.ndjson, ...) and opt-outs. */
  lines: Record<RegionCode, Record<string, number>>;
}

/** Writes `<outDir>/<region>/` for each of the five regions (plain NDJSON). */
export async function splitRecordByRegion(inputDir: string, outDir: string): Promise<SplitResult> {
  const regionOfLsoa = new Map(loadLsoaPopulations().map((l) => [l.lsoa11, l.region]));
  const dirs = Object.fromEntries(REGIONS.map((r) => [r.code, path.join(outDir, r.code)])) as Record<RegionCode, string>;
  const counts = Object.fromEntries(REGIONS.map((r) => [r.code, {} as Record<string, number>])) as Record<RegionCode, Record<string, number>>;
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

  const regionOfPatient = new Map<string, RegionCode>();
  const regionOfNhsNumber = new Map<string, RegionCode>();
  const files = readdirSync(inputDir).filter((f) => /^(Patient|Encounter|Condition).*\.ndjson(\.gz)?$/.test(f)).sort();
  // Patients first: every other resource is placed by its patient.
  files.sort((a, b) => Number(!a.startsWith('Patient')) - Number(!b.startsWith('Patient')));
  for (const file of files) {
    const isPatient = file.startsWith('Patient');
    const out = Object.fromEntries(REGIONS.map((r) => [r.code, [] as string[]])) as Record<RegionCode, string[]>;
    for await (const line of lines(path.join(inputDir, file))) {
      let region = FALLBACK;
      try {
        const r = JSON.parse(line) as Json;
        if (isPatient) {
          region = regionOfLsoa.get(lsoaOf(r) ?? '') ?? FALLBACK;
          if (typeof r.id === 'string') regionOfPatient.set(r.id, region);
          const nhs = nhsNumberOf(r);
          if (nhs) regionOfNhsNumber.set(nhs, region);
        } else {
          region = regionOfPatient.get(subjectOf(r) ?? '') ?? FALLBACK;
        }
      } catch {
        // Not JSON: the pipeline rejects it wherever it is.
      }
      out[region].push(line);
    }
    const name = file.replace(/\.gz$/, '');
    for (const r of REGIONS) {
      writeFileSync(path.join(dirs[r.code], name), out[r.code].map((l) => `${l}\n`).join(''));
      counts[r.code][name] = out[r.code].length;
    }
  }

  const optOut = Object.fromEntries(REGIONS.map((r) => [r.code, [] as string[]])) as Record<RegionCode, string[]>;
  for (const line of readFileSync(path.join(inputDir, OPT_OUT), 'utf8').split('\n')) {
    if (line.trim()) optOut[regionOfNhsNumber.get(line.trim()) ?? FALLBACK].push(line);
  }
  for (const r of REGIONS) {
    writeFileSync(path.join(dirs[r.code], OPT_OUT), optOut[r.code].map((l) => `${l}\n`).join(''));
    counts[r.code][OPT_OUT] = optOut[r.code].length;
  }
  return { dirs, lines: counts };
}
