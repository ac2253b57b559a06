/**
 * The warehouse built from the hand-written valid fixture: deterministic bytes, no direct
 * identifiers, the allow-list, both opt-out policies, and values checked by hand.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../../pipelines/ingest/key.ts';
import type { Manifest } from '../../pipelines/ingest/manifest.ts';
import { cleanTempDirs, KEY_A, KEY_B, listFiles, parquetAsText, query, run, tempDir, validFixture, writeKey } from './helpers.ts';

interface InputPatient {
  id: string;
  identifier: { value: string }[];
  name: { family: string; given: string[] }[];
  birthDate: string;
  address: { line: string[]; postalCode: string }[];
}
const patients = readFileSync(path.join(validFixture, 'Patient.000.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as InputPatient);
const optedOut = readFileSync(path.join(validFixture, 'national-data-opt-out.txt'), 'utf8').split('\n').filter(Boolean);
const nhsOf = (p: InputPatient) => p.identifier[0]!.value;

let a: { warehouse: string; manifest: Manifest };
let b: { warehouse: string };
let otherKey: { warehouse: string };
let allPolicy: { warehouse: string; manifest: Manifest };

beforeAll(async () => {
  const ra = tempDir();
  const rb = tempDir();
  const rk = tempDir();
  const rp = tempDir();
  a = { warehouse: path.join(ra, 'warehouse'), manifest: (await run(validFixture, ra)).manifest };
  // A second run with one thread: same inputs and key must give the same bytes whatever the parallelism.
  await run(validFixture, rb, { threads: 1 });
  b = { warehouse: path.join(rb, 'warehouse') };
  await run(validFixture, rk, { keyFile: writeKey(rk, KEY_B) });
  otherKey = { warehouse: path.join(rk, 'warehouse') };
  allPolicy = { warehouse: path.join(rp, 'warehouse'), manifest: (await run(validFixture, rp, { policy: 'all' })).manifest };
});
afterAll(cleanTempDirs);

const parquet = (wh: string, table: string) => `read_parquet('${path.join(wh, table)}/**/*.parquet', hive_partitioning = true)`;

describe('warehouse from the valid fixture', () => {
  it('has the README layout', () => {
    const files = listFiles(a.warehouse);
    expect(files).toContain('manifest.json');
    for (const t of ['patients', 'research_allowlist', 'population', 'rollups']) expect(files).toContain(`${t}/data.parquet`);
    expect(files).toContain('events/region=greater-manchester/year=2019/data.parquet');
    expect(files.filter((f) => f.startsWith('events/')).every((f) => /^events\/region=[a-z-]+\/year=\d{4}\/data\.parquet$/.test(f))).toBe(true);
  });

  it('writes byte-identical Parquet on a re-run (2 threads, then 1)', () => {
    const files = listFiles(a.warehouse).filter((f) => f.endsWith('.parquet'));
    expect(listFiles(b.warehouse).filter((f) => f.endsWith('.parquet'))).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(b.warehouse, f)).equals(readFileSync(path.join(a.warehouse, f))), f).toBe(true);
  });

  it('same key gives the HMAC pseudonyms; a different key gives none of the same', async () => {
    const pidsA = (await query<{ pid: bigint }>(`SELECT pid FROM ${parquet(a.warehouse, 'patients')}`)).map((r) => r.pid).sort();
    expect(pidsA).toEqual(patients.map((p) => pseudonymOf(Buffer.from(KEY_A), nhsOf(p))).sort());
    const pidsB = (await query<{ pid: bigint }>(`SELECT pid FROM ${parquet(otherKey.warehouse, 'patients')}`)).map((r) => r.pid);
    expect(pidsB.filter((p) => pidsA.includes(p))).toEqual([]);
  });

  it('holds no NHS number, name, address line, postcode, exact birth date or source id in any column of any Parquet file, nor in the manifest', async () => {
    const secrets = patients.flatMap((p) => [nhsOf(p), p.id, p.birthDate, ...p.name.flatMap((n) => [n.family, ...n.given]), ...p.address.flatMap((ad) => [...ad.line, ad.postalCode])]);
    expect(secrets.length).toBeGreaterThan(30);
    const texts: string[] = [readFileSync(path.join(a.warehouse, 'manifest.json'), 'utf8'), ...listFiles(a.warehouse)];
    for (const f of listFiles(a.warehouse).filter((x) => x.endsWith('.parquet'))) texts.push(...(await parquetAsText(path.join(a.warehouse, f))));
    expect(texts.length).toBeGreaterThan(500);
    // The scan does see column values (an LSOA code and a pseudonym are there), so an empty result means something.
    expect(texts.some((t) => t === 'E01004766')).toBe(true);
    expect(texts.some((t) => t === String(pseudonymOf(Buffer.from(KEY_A), nhsOf(patients[0]!))))).toBe(true);
    const leaks = secrets.filter((s) => texts.some((t) => t.includes(s)));
    expect(leaks).toEqual([]);
  });

  it('the key appears in no file the run wrote (warehouse, manifest, quarantine), not even as hex', () => {
    const dirs = [a.warehouse, `${a.warehouse}.quarantine`];
    const needles = [Buffer.from(KEY_A), Buffer.from(Buffer.from(KEY_A).toString('hex')), Buffer.from(Buffer.from(KEY_A).toString('base64'))];
    let files = 0;
    for (const d of dirs) {
      for (const f of listFiles(d)) {
        const bytes = readFileSync(path.join(d, f));
        files++;
        for (const n of needles) expect(bytes.includes(n), f).toBe(false);
      }
    }
    expect(files).toBeGreaterThan(10);
  });

  it('the research allow-list is every loaded patient except exactly those on the opt-out list', async () => {
    const allow = (await query<{ pid: bigint }>(`SELECT pid FROM ${parquet(a.warehouse, 'research_allowlist')}`)).map((r) => r.pid).sort();
    const want = patients.filter((p) => !optedOut.includes(nhsOf(p))).map((p) => pseudonymOf(Buffer.from(KEY_A), nhsOf(p)));
    expect(allow).toEqual(want.sort());
    expect(a.manifest.optOut).toMatchObject({ listed: 3, matched: 2, allowlisted: 3 });
  });

  it('policy "all" removes opted-out patients from every table and counts them', async () => {
    const out = optedOut.map((n) => pseudonymOf(Buffer.from(KEY_A), n));
    for (const t of ['patients', 'events', 'research_allowlist']) {
      const pids = (await query<{ pid: bigint }>(`SELECT pid FROM ${parquet(allPolicy.warehouse, t)}`)).map((r) => r.pid);
      expect(pids.length).toBeGreaterThan(0);
      expect(pids.filter((p) => out.includes(p))).toEqual([]);
    }
    const [r] = await query<{ d: bigint }>(`SELECT sum(events - research_events) AS d FROM ${parquet(allPolicy.warehouse, 'rollups')}`);
    expect(r!.d).toBe(0n);
    expect(allPolicy.manifest.optOut).toMatchObject({ excludedPatients: 2, excludedEvents: 6 });
    expect(allPolicy.manifest.tables.patients).toBe(3);
    expect(allPolicy.manifest.resources['Patient']).toMatchObject({ read: 5, loaded: 5, rejected: 0 });
  });

  it('events: service, length of stay and age at the start, worked by hand', async () => {
    const rows = await query<{ service: string; n: bigint; los: number | null }>(
      `SELECT service, count(*) AS n, sum(los_days)::INTEGER AS los FROM ${parquet(a.warehouse, 'events')} GROUP BY service ORDER BY service`,
    );
    expect(rows.map((r) => [r.service, Number(r.n), r.los])).toEqual([
      ['ae_attendance', 3, null],
      ['community_contact', 1, null],
      ['elective_admission', 2, 3], // 28 Feb to 2 Mar 2020 (leap year) = 3 days, then a day case (0)
      ['emergency_admission', 2, 10], // 4 to 9 Jan and 15 to 20 Jun 2019
      ['gp_appointment', 5, null],
      ['outpatient_appointment', 2, null],
    ]);
    // Born 29 Feb 1940: 79 on 28 Feb 2020, 80 on 28 Feb 2021, 81 from 1 Mar 2021. Born 2 Jul 1990: 28 on 1 Jul 2019, 29 on 2 Jul.
    const ages = await query<{ start_date: Date; age: number; age_band: string }>(
      `SELECT start_date, age, age_band FROM ${parquet(a.warehouse, 'events')} WHERE lsoa11 IN ('E01016180', 'E01007317') ORDER BY start_date, service`,
    );
    expect(ages.map((r) => [r.start_date.toISOString().slice(0, 10), r.age, r.age_band])).toEqual([
      ['2019-07-01', 28, '25-29'],
      ['2019-07-02', 29, '25-29'],
      ['2020-02-28', 79, '75-79'],
      ['2020-05-02', 29, '25-29'],
      ['2021-02-28', 80, '80-84'],
      ['2021-03-01', 81, '80-84'],
    ]);
  });

  it('population: alive on 1 July, by age at that date', async () => {
    const rows = await query<{ year: number; age_band: string; sex: string; population: bigint; research_population: bigint }>(
      `SELECT year, age_band, sex, population, research_population FROM ${parquet(a.warehouse, 'population')} ORDER BY year, age_band, sex`,
    );
    const y2019 = rows.filter((r) => r.year === 2019).map((r) => [r.age_band, r.sex, Number(r.population), Number(r.research_population)]);
    expect(y2019).toEqual([
      ['0-4', 'female', 1, 1],
      ['25-29', 'male', 1, 0], // born 2 Jul 1990: still 28 on 1 Jul 2019; opted out
      ['30-34', 'female', 1, 0],
      ['60-64', 'female', 1, 1],
      ['75-79', 'male', 1, 1],
    ]);
    // The woman born in 1956 died on 5 Jan 2021: not in the 2021 population.
    expect(rows.filter((r) => r.year === 2021).reduce((s, r) => s + Number(r.population), 0)).toBe(4);
  });

  it('rollups: counts, distinct patients and bed days, for all and for the research allow-list', async () => {
    const rows = await query<Record<string, unknown>>(
      `SELECT strftime(month, '%Y-%m') AS month, region, service, events, patients, bed_days, research_events, research_patients, research_bed_days
       FROM ${parquet(a.warehouse, 'rollups')} WHERE service = 'emergency_admission' ORDER BY month`,
    );
    expect(rows.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual([
      ['2019-01', 'greater-manchester', 'emergency_admission', 1, 1, 5, 1, 1, 5],
      ['2019-06', 'wessex', 'emergency_admission', 1, 1, 5, 0, 0, 0],
    ]);
    const [t] = await query<{ n: bigint }>(`SELECT sum(events) AS n FROM ${parquet(a.warehouse, 'rollups')}`);
    expect(Number(t!.n)).toBe(a.manifest.tables.events);
  });

  it('Parquet column types follow the README schema', async () => {
    const types = async (t: string) =>
      Object.fromEntries((await query<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${parquet(a.warehouse, t)}`)).map((r) => [r.column_name, r.column_type]));
    expect(await types('patients')).toEqual({
      pid: 'BIGINT', sex: 'VARCHAR', birth_year: 'SMALLINT', death_month: 'DATE', lsoa11: 'VARCHAR', imd_decile: 'TINYINT', stp_code: 'VARCHAR', region: 'VARCHAR', gp_practice: 'VARCHAR',
    });
    expect(await types('events')).toMatchObject({ pid: 'BIGINT', start_date: 'DATE', month: 'DATE', los_days: 'INTEGER', age: 'SMALLINT', age_band: 'VARCHAR', imd_decile: 'TINYINT' });
    expect(await types('population')).toEqual({
      year: 'SMALLINT', region: 'VARCHAR', stp_code: 'VARCHAR', age_band: 'VARCHAR', sex: 'VARCHAR', imd_decile: 'TINYINT', population: 'BIGINT', research_population: 'BIGINT',
    });
    expect(Object.keys(await types('rollups'))).toEqual(['month', 'region', 'stp_code', 'service', 'age_band', 'sex', 'imd_decile', 'events', 'patients', 'bed_days', 'research_events', 'research_patients', 'research_bed_days']);
  });
});
