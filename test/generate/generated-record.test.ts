import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isValidNhsNumber } from '../../domain/nhs-number.ts';
import { generateRecord, type GenerateOptions, type GenerateSummary } from '../../pipelines/generate/generate-record.ts';
import { parseYearMonth } from '../../pipelines/generate/calendar.ts';
import { readLines, recordFiles } from './record-reader.ts';

const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const coding = (system: string, code: z.ZodType<string>) => z.object({ system: z.literal(system), code });
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const patientSchema = z
  .object({
    resourceType: z.literal('Patient'),
    id: z.string().regex(/^p-\d{6,}$/),
    identifier: z.tuple([z.object({ system: z.literal('https://fhir.nhs.uk/Id/nhs-number'), value: z.string().refine(isValidNhsNumber, 'invalid NHS number') })]),
    name: z.tuple([z.object({ use: z.literal('official'), family: z.string().startsWith('Synthetic-'), given: z.tuple([z.string().startsWith('Test-')]) })]),
    gender: z.enum(['female', 'male']),
    birthDate: date,
    deceasedDateTime: date.optional(),
    address: z.tuple([
      z.object({
        use: z.literal('home'),
        line: z.tuple([z.string()]),
        postalCode: z.string().regex(/^ZZ99 \d[A-Z]{2}$/),
        extension: z.tuple([z.object({ url: z.literal('https://lhcre-planner.nhs.invalid/fhir/StructureDefinition/lsoa-2011'), valueCode: z.string().regex(/^E01\d{6}$/) })]),
      }),
    ]),
    generalPractitioner: z.tuple([z.object({ identifier: z.object({ system: z.literal(ODS), value: z.string().regex(/^Z\d{5}$/) }) })]),
  })
  .strict();

const encounterSchema = z
  .object({
    resourceType: z.literal('Encounter'),
    id: z.string().regex(/^e-\d{8,}$/),
    status: z.literal('finished'),
    class: coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', z.enum(['EMER', 'IMP', 'SS', 'AMB', 'VR', 'HH'])),
    type: z.tuple([z.object({ coding: z.tuple([coding('http://snomed.info/sct', z.string()).extend({ display: z.string() })]) })]),
    priority: z.object({ coding: z.tuple([coding('http://terminology.hl7.org/CodeSystem/v3-ActPriority', z.enum(['EM', 'EL', 'R']))]) }),
    subject: z.object({ reference: z.string().regex(/^Patient\/p-\d+$/) }),
    period: z.object({ start: instant, end: instant }).strict(),
    serviceProvider: z.object({ identifier: z.object({ system: z.literal(ODS), value: z.string().min(3) }) }),
  })
  .strict();

/** The (class, SNOMED type, priority) combinations of the format's table. */
const ALLOWED_KINDS = new Set([
  'EMER|4525004|EM', 'IMP|183452005|EM', 'IMP|8715000|EL', 'SS|8715000|EL', 'AMB|11429006|R', 'AMB|185347001|R', 'VR|185347001|R', 'HH|439708006|R',
]);

const base = (out: string, overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  out,
  size: { patients: 1500 },
  seed: 7,
  fromMonth: parseYearMonth('2019-07'),
  toMonth: parseYearMonth('2021-06'),
  gzip: false,
  conditions: true,
  overwrite: false,
  ...overrides,
});

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]));
}

let root: string;
let summary: GenerateSummary;
let main: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lhcre-generate-'));
  main = path.join(root, 'main');
  summary = await generateRecord(base(main, { linesPerFile: 20_000 }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generated record', () => {
  it('writes numbered files per resource type and a one-line summary count that matches them', async () => {
    const encounterFiles = recordFiles(main, 'Encounter');
    expect(encounterFiles.map((f) => path.basename(f)).slice(0, 2)).toEqual(['Encounter.000.ndjson', 'Encounter.001.ndjson']);
    let lines = 0;
    for (const [i, f] of encounterFiles.entries()) {
      let inFile = 0;
      for await (const _ of readLines(f)) inFile++;
      // Files rotate between patients: each full file holds 20,000 lines plus at most one patient's.
      if (i < encounterFiles.length - 1) expect(inFile).toBeGreaterThanOrEqual(20_000);
      if (i < encounterFiles.length - 1) expect(inFile).toBeLessThan(20_500);
      lines += inFile;
    }
    expect(lines).toBe(summary.encounters);
    expect(summary.patients).toBe(1500);
  });

  it('is valid FHIR of the stated shape, with unique valid NHS numbers and no event outside life', async () => {
    const patients = new Map<string, { birth: string; death: string | undefined }>();
    const nhsNumbers = new Set<string>();
    for await (const line of readLines(recordFiles(main, 'Patient')[0]!)) {
      const p = patientSchema.parse(JSON.parse(line));
      expect(patients.has(p.id)).toBe(false);
      patients.set(p.id, { birth: p.birthDate, death: p.deceasedDateTime });
      nhsNumbers.add(p.identifier[0].value);
      if (p.deceasedDateTime) expect(p.deceasedDateTime >= p.birthDate).toBe(true);
    }
    expect(nhsNumbers.size).toBe(patients.size);

    const ids = new Set<string>();
    const kinds = new Set<string>();
    let admissions = 0;
    let dayCases = 0;
    for (const f of recordFiles(main, 'Encounter')) {
      for await (const line of readLines(f)) {
        const e = encounterSchema.parse(JSON.parse(line));
        expect(ids.has(e.id)).toBe(false);
        ids.add(e.id);
        const kind = `${e.class.code}|${e.type[0].coding[0].code}|${e.priority.coding[0].code}`;
        expect(ALLOWED_KINDS.has(kind)).toBe(true);
        kinds.add(kind);
        const who = patients.get(e.subject.reference.slice('Patient/'.length));
        expect(who).toBeDefined();
        const start = e.period.start.slice(0, 10);
        const end = e.period.end.slice(0, 10);
        expect(e.period.end >= e.period.start).toBe(true);
        expect(start >= who!.birth).toBe(true);
        if (who!.death) expect(end <= who!.death).toBe(true);
        expect(start >= '2019-07-01' && start <= '2021-06-30').toBe(true);
        if (e.class.code === 'IMP') admissions++;
        if (e.class.code === 'SS') {
          dayCases++;
          expect(end).toBe(start);
        }
      }
    }
    expect(kinds.size).toBe(ALLOWED_KINDS.size);
    expect(dayCases).toBeGreaterThan(0);
    expect(admissions).toBeGreaterThan(0);
  });

  it('writes Conditions only for known patients, with onset between birth and death', async () => {
    const births = new Map<string, [string, string | undefined]>();
    for await (const line of readLines(recordFiles(main, 'Patient')[0]!)) {
      const p = JSON.parse(line) as { id: string; birthDate: string; deceasedDateTime?: string };
      births.set(p.id, [p.birthDate, p.deceasedDateTime]);
    }
    let n = 0;
    for await (const line of readLines(recordFiles(main, 'Condition')[0]!)) {
      const c = JSON.parse(line) as { resourceType: string; subject: { reference: string }; onsetDateTime: string; code: { coding: { system: string }[] } };
      expect(c.resourceType).toBe('Condition');
      expect(c.code.coding[0]!.system).toBe('http://snomed.info/sct');
      const [birth, death] = births.get(c.subject.reference.slice('Patient/'.length))!;
      expect(c.onsetDateTime >= birth).toBe(true);
      if (death) expect(c.onsetDateTime <= death).toBe(true);
      n++;
    }
    expect(n).toBe(summary.conditions);
  });

  it('lists about 5% of patients, by NHS number, in the opt-out file', () => {
    const optOut = readFileSync(path.join(main, 'national-data-opt-out.txt'), 'utf8').trim().split('\n');
    expect(optOut.length).toBe(summary.optedOut);
    // Binomial(1500, 0.05): mean 75, sd 8.4; 40..110 is beyond 4 sd either side.
    expect(optOut.length).toBeGreaterThan(40);
    expect(optOut.length).toBeLessThan(110);
    for (const n of optOut) expect(isValidNhsNumber(n)).toBe(true);
    expect(new Set(optOut).size).toBe(optOut.length);
  });

  it('is byte-identical for the same seed and different for another seed', async () => {
    const again = path.join(root, 'again');
    const other = path.join(root, 'other');
    await generateRecord(base(again, { linesPerFile: 20_000 }));
    await generateRecord(base(other, { linesPerFile: 20_000, seed: 8 }));
    expect(digest(again)).toEqual(digest(main));
    const a = digest(main);
    const b = digest(other);
    expect(b['Encounter.000.ndjson']).not.toBe(a['Encounter.000.ndjson']);
    expect(b['Patient.000.ndjson']).not.toBe(a['Patient.000.ndjson']);
  });

  it('gives byte-identical gzip output and the same records as without gzip', async () => {
    const small = { size: { patients: 200 }, conditions: false } as const;
    const gz1 = path.join(root, 'gz1');
    const gz2 = path.join(root, 'gz2');
    const plain = path.join(root, 'plain');
    await generateRecord(base(gz1, { ...small, gzip: true }));
    await generateRecord(base(gz2, { ...small, gzip: true }));
    await generateRecord(base(plain, small));
    expect(digest(gz1)).toEqual(digest(gz2));
    const lines = async (f: string) => {
      const out: string[] = [];
      for await (const l of readLines(f)) out.push(l);
      return out;
    };
    expect(await lines(path.join(gz1, 'Encounter.000.ndjson.gz'))).toEqual(await lines(path.join(plain, 'Encounter.000.ndjson')));
  });

  it('refuses to write over an earlier record unless told to', async () => {
    await expect(generateRecord(base(main))).rejects.toThrow(/already holds a generated record/);
  });
});
