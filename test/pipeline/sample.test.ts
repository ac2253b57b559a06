/**
 * The committed sample record (data-samples/sample-record, written by the generator): every
 * record accounted for, no direct identifier in any column of any Parquet file, and the research
 * allow-list is exactly the patients not on the sample's opt-out list.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../../pipelines/ingest/key.ts';
import type { Manifest } from '../../pipelines/ingest/manifest.ts';
import { cleanTempDirs, KEY_A, listFiles, query, repoRoot, run, tempDir } from './helpers.ts';

const sample = path.join(repoRoot, 'data-samples/sample-record');
const patientFile = path.join(sample, 'Patient.000.ndjson.gz');

interface SamplePatient {
  id: string;
  identifier: { system: string; value: string }[];
  name?: { family?: string; given?: string[] }[];
  birthDate: string;
  address?: { line?: string[]; postalCode?: string }[];
}

let manifest: Manifest;
let warehouse: string;
let patients: SamplePatient[];

beforeAll(async () => {
  if (!existsSync(patientFile)) return;
  const root = tempDir();
  manifest = (await run(sample, root, { asOf: '2025-01-01' })).manifest;
  warehouse = path.join(root, 'warehouse');
  patients = gunzipSync(readFileSync(patientFile))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SamplePatient);
});
afterAll(cleanTempDirs);

const nhsOf = (p: SamplePatient) => p.identifier.find((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number')!.value;
const sql = (s: string) => s.replaceAll("'", "''");

describe.skipIf(!existsSync(patientFile))('the committed sample record', () => {
  it('reconciles: every line read, loaded or rejected with a reason', () => {
    for (const [type, c] of Object.entries(manifest.resources)) {
      const lines = manifest.inputs.filter((i) => i.resourceType === type).reduce((s, i) => s + i.lines - i.blankLines, 0);
      expect(c.read, type).toBe(lines);
      expect(c.read).toBe(c.loaded + c.rejected);
    }
    expect(manifest.resources['Patient']!.read).toBe(patients.length);
    expect(manifest.tables.events).toBe(manifest.resources['Encounter']!.loaded - (manifest.optOut.excludedEvents ?? 0));
    expect(manifest.eventPartitions).toBeGreaterThanOrEqual(25); // five regions x at least five years
  });

  it('no NHS number, name, address line, postcode, birth date or source id appears in any Parquet column', { timeout: 180_000 }, async () => {
    const secrets = new Set<string>();
    const birthDates = new Set<string>();
    for (const p of patients) {
      secrets.add(nhsOf(p)).add(p.id);
      for (const n of p.name ?? []) for (const s of [n.family, ...(n.given ?? [])]) if (s) secrets.add(s);
      for (const a of p.address ?? []) for (const s of [...(a.line ?? []), a.postalCode]) if (s) secrets.add(s);
      birthDates.add(p.birthDate);
    }
    expect(secrets.size).toBeGreaterThan(patients.length * 2); // NHS numbers and ids alone, plus names and postcodes
    const parquetFiles = listFiles(warehouse).filter((f) => f.endsWith('.parquet'));
    expect(parquetFiles.length).toBeGreaterThan(25);
    // One DuckDB for the whole scan: the identifiers go in a table, each file is unpivoted to (column, text).
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      await c.run('CREATE TABLE secrets (v VARCHAR); CREATE TABLE birth_dates (v VARCHAR)');
      const appendAll = async (table: string, values: Iterable<string>) => {
        const appender = await c.createAppender(table);
        for (const v of values) {
          appender.appendVarchar(v);
          appender.endRow();
        }
        appender.closeSync();
      };
      await appendAll('secrets', secrets);
      await appendAll('birth_dates', birthDates);
      for (const f of parquetFiles) {
        const cells = `(UNPIVOT (SELECT COLUMNS(*)::VARCHAR FROM read_parquet('${sql(path.join(warehouse, f))}')) ON COLUMNS(*) INTO NAME col VALUE v)`;
        // The DATE columns are the event's start (an event on someone's birthday is activity) and
        // first-of-month columns; no other column may hold a birth date.
        const reader = await c.runAndReadAll(`WITH cells AS MATERIALIZED ${cells} SELECT
            (SELECT count(*) FROM cells) AS seen,
            (SELECT count(*) FROM cells JOIN secrets USING (v)) AS leaks,
            (SELECT count(*) FROM cells JOIN birth_dates USING (v) WHERE col NOT IN ('start_date', 'month', 'death_month')) AS date_leaks,
            (SELECT count(*) FROM cells WHERE col IN ('month', 'death_month') AND NOT ends_with(v, '-01')) AS not_first`);
        const r = reader.getRowObjectsJS()[0]!;
        expect(Number(r['seen']), f).toBeGreaterThan(0);
        expect([Number(r['leaks']), Number(r['date_leaks']), Number(r['not_first'])], f).toEqual([0, 0, 0]);
      }
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    const manifestText = readFileSync(path.join(warehouse, 'manifest.json'), 'utf8');
    expect([...secrets].filter((s) => s.length > 5 && manifestText.includes(s))).toEqual([]);
  });

  it('the research allow-list is exactly the loaded patients not on the opt-out list', async () => {
    const optOut = new Set(readFileSync(path.join(sample, 'national-data-opt-out.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean));
    expect(optOut.size).toBeGreaterThan(0);
    const want = patients.filter((p) => !optOut.has(nhsOf(p))).map((p) => pseudonymOf(Buffer.from(KEY_A), nhsOf(p)).toString()).sort();
    const got = (await query<{ pid: bigint }>(`SELECT pid FROM read_parquet('${sql(path.join(warehouse, 'research_allowlist/data.parquet'))}')`)).map((r) => r.pid.toString()).sort();
    expect(got).toEqual(want);
    expect(manifest.optOut.matched).toBe(patients.length - want.length);
  });
});
