/**
 * Every case of test/fixtures/fhir-bad/expected.csv: a rejected line is in quarantine with its
 * expected reason and line number, a loaded one is not, and the manifest reconciles.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../domain/reference-data.ts';
import type { Manifest } from '../../pipelines/ingest/manifest.ts';
import { badCorpus, cleanTempDirs, run, tempDir } from './helpers.ts';

interface Reject {
  reason: string;
  file: string;
  line: number;
  record: unknown;
}

const expected = parseCsv(readFileSync(path.join(badCorpus, 'expected.csv'), 'utf8'));
let manifest: Manifest;
let rejects: Reject[];

beforeAll(async () => {
  const root = tempDir();
  const result = await run(badCorpus, root);
  manifest = result.manifest;
  const q = manifest.quarantine.folder;
  rejects = readdirSync(q).flatMap((f) =>
    readFileSync(path.join(q, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Reject),
  );
});
afterAll(cleanTempDirs);

describe('bad-input corpus', () => {
  it.each(expected.map((e) => [`${e['file']}:${e['line']} ${e['case']}`, e] as const))('%s', (_name, e) => {
    const found = rejects.filter((r) => r.file === e['file'] && r.line === Number(e['line']));
    if (e['expected'] === 'loaded' || e['expected'] === 'blank') expect(found).toEqual([]);
    else {
      expect(found.map((r) => r.reason)).toEqual([e['expected']]);
    }
  });

  it('quarantine holds exactly the expected rejects, nothing more', () => {
    const want = expected.filter((e) => !['loaded', 'blank'].includes(e['expected']!)).length;
    expect(rejects).toHaveLength(want);
  });

  it('keeps the original record: JSON as JSON, a broken line as its text', () => {
    const truncated = rejects.find((r) => r.file === 'Patient.000.ndjson' && r.line === 3)!;
    expect(truncated.record).toBe('{"resourceType":"Patient","id":"p-trunc","identifier":[{"sys');
    const wrongType = rejects.find((r) => r.file === 'Patient.000.ndjson' && r.line === 8)!;
    expect((wrongType.record as { birthDate: number }).birthDate).toBe(19560314);
  });

  it('the manifest reconciles per resource type, with counts by reason matching the corpus', () => {
    for (const [type, c] of Object.entries(manifest.resources)) {
      expect(c.read).toBe(c.loaded + c.rejected);
      const cases = expected.filter((e) => e['file']!.startsWith(type) && e['expected'] !== 'blank');
      expect(c.read).toBe(cases.length);
      expect(c.loaded).toBe(cases.filter((e) => e['expected'] === 'loaded').length);
      const byReason: Record<string, number> = {};
      for (const e of cases.filter((e) => e['expected'] !== 'loaded')) byReason[e['expected']!] = (byReason[e['expected']!] ?? 0) + 1;
      expect(c.rejectedByReason).toEqual(byReason);
    }
  });

  it('accounts for files: gzip read, the empty file counted, other resource types listed as ignored', () => {
    const input = (f: string) => manifest.inputs.find((i) => i.file === f)!;
    expect(input('Encounter.001.ndjson.gz').lines).toBe(2);
    expect(input('Condition.001.ndjson').lines).toBe(0);
    expect(input('Patient.000.ndjson')).toMatchObject({ blankLines: 1, invalidUtf8Lines: 1 });
    expect(manifest.ignoredFiles).toEqual([{ file: 'Observation.000.ndjson', bytes: 84, lines: 2 }]);
    for (const i of manifest.inputs) expect(i.sha256, i.file).toBe(createHash('sha256').update(readFileSync(path.join(badCorpus, i.file))).digest('hex'));
  });

  it('counts the opt-out list: comment and blank lines skipped, a junk entry counted as invalid', () => {
    expect(manifest.optOut).toMatchObject({ listed: 2, invalid: 1, matched: 1, allowlisted: 2 });
  });
});
