/**
 * Foreign FHIR: the Synthea bulk exports in the shared reference data (US identifiers, no NHS
 * numbers). Every record is loaded or rejected with a reason, and every file is accounted for.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, run, syntheaDir, tempDir } from './helpers.ts';

afterAll(cleanTempDirs);

const countLines = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
};

describe.skipIf(!existsSync(syntheaDir))('Synthea export', () => {
  it.each(['10-patients', '100-patients', '1000-patients'])('%s: every record loaded or rejected with a reason, every file counted', async (set) => {
    const input = path.join(syntheaDir, set);
    const root = tempDir();
    const optOut = path.join(root, 'opt-out.txt');
    writeFileSync(optOut, '');
    const { manifest } = await run(input, root, { optOut });
    const ndjson = readdirSync(input).filter((f) => f.endsWith('.ndjson'));
    expect([...manifest.inputs.map((i) => i.file), ...manifest.ignoredFiles.map((i) => i.file)].sort()).toEqual(ndjson.sort());
    for (const f of [...manifest.inputs, ...manifest.ignoredFiles]) expect(f.lines, f.file).toBe(countLines(path.join(input, f.file)));
    for (const [type, c] of Object.entries(manifest.resources)) {
      const lines = manifest.inputs.filter((i) => i.resourceType === type).reduce((s, i) => s + i.lines, 0);
      expect(c.read, type).toBe(lines);
      expect(c.read).toBe(c.loaded + c.rejected);
      expect(Object.values(c.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(c.rejected);
    }
    // US records have no NHS number, so no patient can be pseudonymised, and their encounters have no patient.
    const patients = manifest.resources['Patient']!;
    expect(patients.rejectedByReason).toEqual({ missing_nhs_number: patients.read });
    if (manifest.resources['Encounter']) expect(manifest.resources['Encounter'].rejectedByReason).toEqual({ unknown_patient: 1215 });
    expect(manifest.tables).toMatchObject({ patients: 0, events: 0 });
  });

  it('10-patients: Synthea encounters map to services once they have a patient', async () => {
    // Give each Synthea patient an NHS number and an LSOA, as a UK feed would: the encounters then load.
    const src = path.join(syntheaDir, '10-patients');
    const root = tempDir();
    const input = path.join(root, 'in');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    const checkDigit = (nine: string) => {
      const s = [...nine].reduce((a, d, i) => a + Number(d) * (10 - i), 0);
      const c = 11 - (s % 11);
      return c === 11 ? 0 : c;
    };
    let n = 100;
    const patients = readFileSync(path.join(src, 'Patient.000.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const p = JSON.parse(l) as { identifier: unknown[]; address: { extension?: unknown[] }[] };
        let nine: string;
        do nine = `999${String(n++).padStart(6, '0')}`;
        while (checkDigit(nine) === 10);
        p.identifier.push({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: `${nine}${checkDigit(nine)}` });
        p.address[0]!.extension = [{ url: 'https://lhcre-planner.nhs.invalid/fhir/StructureDefinition/lsoa-2011', valueCode: 'E01004766' }];
        return JSON.stringify(p);
      });
    writeFileSync(path.join(input, 'Patient.000.ndjson'), `${patients.join('\n')}\n`);
    writeFileSync(path.join(input, 'Encounter.000.ndjson'), readFileSync(path.join(src, 'Encounter.000.ndjson')));
    writeFileSync(path.join(input, 'national-data-opt-out.txt'), '');
    const { manifest } = await run(input, root, { asOf: '2023-12-31' });
    expect(manifest.resources['Patient']!.loaded).toBe(13);
    const enc = manifest.resources['Encounter']!;
    expect(enc.read).toBe(1215);
    expect(enc.loaded).toBeGreaterThan(1000);
    expect(enc.loaded + enc.rejected).toBe(1215);
    expect(manifest.tables.events).toBe(enc.loaded);
  });
});
