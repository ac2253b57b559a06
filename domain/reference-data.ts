/**
 * The reference tables committed in `data-samples/reference/` (built from the shared public data
 * by `pipelines/generate/reference/build-reference-tables.ts`; sources and licences in
 * `data-samples/SOURCE.md`). Located relative to the repository root so the product never reads
 * `../shared` at run time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { RegionCode } from './geography.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dataSamplesDir = path.join(repoRoot, 'data-samples');
export const referenceDir = path.join(dataSamplesDir, 'reference');

export const REFERENCE_FILES = {
  lsoaPopulation: 'lsoa11_population_mid2019.csv.gz',
  stpPopulation: 'stp_population_mid2019.csv',
  sexByAge: 'england_sex_by_age_mid2023.csv',
  esp2013: 'esp2013_19_age_bands.csv',
  stpMonthly: 'ae_monthly_by_stp_2017-04_2024-06.csv',
  regionMonthly: 'ae_monthly_by_region_2017-04_2024-06.csv',
  stpGeoJson: 'stps.geojson',
  regionGeoJson: 'regions.geojson',
} as const;

export function referencePath(name: keyof typeof REFERENCE_FILES): string {
  return path.join(referenceDir, REFERENCE_FILES[name]);
}

/** Minimal RFC 4180 reader (quoted fields may hold commas); enough for our own tables. */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const [headerLine, ...body] = lines;
  if (headerLine === undefined) return [];
  const header = splitCsvLine(headerLine);
  return body.map((line) => {
    const fields = splitCsvLine(line);
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = fields[i] ?? '';
    return row;
  });
}

/** Fields of one line; quoted fields may hold commas and doubled quotes (not newlines: ours never do). */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function readText(name: keyof typeof REFERENCE_FILES): string {
  const file = referencePath(name);
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

function readTable(name: keyof typeof REFERENCE_FILES): Record<string, string>[] {
  return parseCsv(readText(name));
}

export interface LsoaPopulation {
  lsoa11: string;
  stpCode: string;
  region: RegionCode;
  imdDecile: number;
  /** Persons by single year of age 0..89, then 90+ at index 90 (ONS mid-2019). */
  byAge: Int32Array;
}

export function loadLsoaPopulations(): LsoaPopulation[] {
  // 13,527 rows x 95 columns: split lines directly rather than building a record per row.
  const [headerLine, ...lines] = readText('lsoaPopulation').split('\n').filter((l) => l.length > 0);
  const header = splitCsvLine(headerLine ?? '');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${REFERENCE_FILES.lsoaPopulation}: no column ${name}`);
    return i;
  };
  const [lsoa, stp, region, imd, age0] = [col('lsoa11'), col('stp_code'), col('region'), col('imd_decile'), col('age_0')];
  return lines.map((line) => {
    const f = splitCsvLine(line);
    const byAge = new Int32Array(91);
    for (let a = 0; a <= 90; a++) byAge[a] = Number(f[age0 + a]);
    return { lsoa11: f[lsoa]!, stpCode: f[stp]!, region: f[region] as RegionCode, imdDecile: Number(f[imd]), byAge };
  });
}

export interface StpPopulation {
  stpCode: string;
  qCode: string;
  region: RegionCode;
  lsoas: number;
  populationMid2019: number;
}

export function loadStpPopulations(): StpPopulation[] {
  return readTable('stpPopulation').map((r) => ({
    stpCode: r['stp_code']!,
    qCode: r['q_code']!,
    region: r['region'] as RegionCode,
    lsoas: Number(r['lsoas']),
    populationMid2019: Number(r['population_mid2019']),
  }));
}

/** Share of females at each single year of age 0..90 (90 = 90+), England mid-2023. */
export function loadFemaleShareByAge(): Float64Array {
  const shares = new Float64Array(91);
  for (const r of readTable('sexByAge')) shares[Number(r['age'])] = Number(r['p_female']);
  return shares;
}

export interface MonthlyActivity {
  /** `YYYY-MM-01` */
  period: string;
  attTotal: number;
  attType1: number;
  emadmTotal: number;
  emadmViaAe: number;
}

export interface StpMonthlyActivity extends MonthlyActivity {
  stpCode: string;
  qCode: string;
  region: RegionCode;
}

const activity = (r: Record<string, string>): MonthlyActivity => ({
  period: r['period']!,
  attTotal: Number(r['att_total']),
  attType1: Number(r['att_type1']),
  emadmTotal: Number(r['emadm_total']),
  emadmViaAe: Number(r['emadm_via_ae_total']),
});

/** Real NHS England monthly A&E attendances and emergency admissions for the 14 STPs. */
export function loadStpMonthlyActivity(): StpMonthlyActivity[] {
  return readTable('stpMonthly').map((r) => ({ ...activity(r), stpCode: r['stp_code']!, qCode: r['q_code']!, region: r['region'] as RegionCode }));
}

export function loadRegionMonthlyActivity(): (MonthlyActivity & { region: RegionCode; nStps: number })[] {
  return readTable('regionMonthly').map((r) => ({ ...activity(r), region: r['region'] as RegionCode, nStps: Number(r['n_stps']) }));
}
