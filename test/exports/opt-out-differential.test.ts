/**
 * Opt-out differential: research exports must not depend in any way on opted-out patients.
 *
 * One synthetic record (generator CLI), three pipeline runs (ingest CLI):
 *   A: record R,  opt-out list L + X   (X: 25 more patients, all with activity)
 *   B: record R' (X's encounters doubled), opt-out list L + X
 *   C: record R,  opt-out list L       (X opted in: shows the exports are sensitive to X at all)
 *   D, E: as A and B under `--opt-out-policy all` (opted-out patients left out of every table)
 * Research exports from A and B must be byte-identical (apart from the source run id line);
 * planner demand must differ between A and B by exactly X's extra encounters; and some research
 * export must differ between A and C, or the first comparison would prove nothing. Under the
 * `all` policy the research exports are the same bytes as under `research` (D = E = A), and
 * planner demand no longer sees the opted-out patients at all (D = E, below A).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_CODES } from '../../domain/services.ts';
import { startServer, type RunningServer } from '../../server/start.ts';
import { TOKENS, tempDir, testAuthStore } from '../server/helpers.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const EXTRA_OPT_OUTS = 25;

let dir: string;
const servers: Record<'A' | 'B' | 'C' | 'D' | 'E', RunningServer | null> = { A: null, B: null, C: null, D: null, E: null };
let extraEncounters = 0;

async function pipeline(input: string, warehouse: string, optOut: string, key: string, policy: 'research' | 'all' = 'research'): Promise<void> {
  await run(tsx, ['pipelines/ingest/cli.ts', '--input', input, '--warehouse', warehouse, '--key-file', key, '--opt-out', optOut, '--opt-out-policy', policy, '--quiet', '--threads', '1'], {
    cwd: repoRoot,
    timeout: 170_000,
  });
}

beforeAll(async () => {
  dir = tempDir('lhcre-optout-');
  const rec = path.join(dir, 'R');
  await run(tsx, ['pipelines/generate/cli.ts', '--out', rec, '--patients', '300', '--seed', '11', '--no-gzip'], { cwd: repoRoot, timeout: 60_000 });
  const key = path.join(dir, 'key.txt');
  writeFileSync(key, 'optout-differential-key-0123456789abcdef0123\n');

  const listed = new Set(readFileSync(path.join(rec, 'national-data-opt-out.txt'), 'utf8').split('\n').filter(Boolean));
  const encounterFile = path.join(rec, 'Encounter.000.ndjson');
  const encounters = readFileSync(encounterFile, 'utf8').split('\n').filter(Boolean);
  const withActivity = new Set(encounters.map((l) => (JSON.parse(l) as { subject: { reference: string } }).subject.reference.slice('Patient/'.length)));
  const patients = readFileSync(path.join(rec, 'Patient.000.ndjson'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; identifier: { value: string }[] });
  const x = patients.filter((p) => !listed.has(p.identifier[0]!.value) && withActivity.has(p.id)).slice(0, EXTRA_OPT_OUTS);
  expect(x).toHaveLength(EXTRA_OPT_OUTS);
  const xIds = new Set(x.map((p) => `Patient/${p.id}`));

  const optOutL = path.join(dir, 'opt-out-L.txt');
  const optOutLX = path.join(dir, 'opt-out-LX.txt');
  copyFileSync(path.join(rec, 'national-data-opt-out.txt'), optOutL);
  writeFileSync(optOutLX, [...listed, ...x.map((p) => p.identifier[0]!.value)].join('\n') + '\n');

  // R': the same record, X's encounters duplicated under new ids.
  const recB = path.join(dir, 'R2');
  mkdirSync(recB);
  copyFileSync(path.join(rec, 'Patient.000.ndjson'), path.join(recB, 'Patient.000.ndjson'));
  const duplicates = encounters
    .map((l) => JSON.parse(l) as { id: string; subject: { reference: string } })
    .filter((e) => xIds.has(e.subject.reference))
    .map((e) => JSON.stringify({ ...e, id: `${e.id}-again` }));
  extraEncounters = duplicates.length;
  writeFileSync(path.join(recB, 'Encounter.000.ndjson'), [...encounters, ...duplicates].join('\n') + '\n');

  await pipeline(rec, path.join(dir, 'whA'), optOutLX, key);
  await pipeline(recB, path.join(dir, 'whB'), optOutLX, key);
  await pipeline(rec, path.join(dir, 'whC'), optOutL, key);
  await pipeline(rec, path.join(dir, 'whD'), optOutLX, key, 'all');
  await pipeline(recB, path.join(dir, 'whE'), optOutLX, key, 'all');
  for (const name of ['A', 'B', 'C', 'D', 'E'] as const) {
    servers[name] = await startServer({
      warehouseDir: path.join(dir, `wh${name}`),
      auth: testAuthStore(),
      port: 0,
      stateDir: path.join(dir, `state${name}`),
      logger: pino({ level: 'silent' }),
      threads: 1,
    });
  }
}, 600_000);

afterAll(async () => {
  for (const s of Object.values(servers)) await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const auth = (role: string) => ({ authorization: `Bearer ${(TOKENS as Record<string, string>)[role]}` });

async function researchCsv(s: RunningServer, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${s.url}/api/exports`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth('researcher') }, body: JSON.stringify(body) });
  expect(res.status, JSON.stringify(body)).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const csv = await (await fetch(`${s.url}/api/exports/${id}?format=csv`, { headers: auth('researcher') })).text();
  // The run id differs between runs by design (it hashes the inputs); everything else must not.
  return csv.split('\n').filter((l) => !l.startsWith('# source run:')).join('\n');
}

async function plannerTotal(s: RunningServer, service: string): Promise<number> {
  const { from, to } = s.ctx.warehouse.period;
  const res = await fetch(`${s.url}/api/demand?service=${service}&from=${from}&to=${to}&format=json`, { headers: auth('planner') });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { rows: { value: number }[] };
  return body.rows.reduce((sum, r) => sum + Number(r.value), 0);
}

function requests(s: RunningServer): Record<string, unknown>[] {
  const { from, to } = s.ctx.warehouse.period;
  return [
    ...SERVICE_CODES.map((service) => ({ service, measure: 'count', from, to, by: ['region', 'year'] })),
    { service: 'gp_appointment', measure: 'patients', from, to, by: ['sex', 'age_band'] },
    { service: 'gp_appointment', measure: 'crude_rate', from, to, by: ['imd_decile'] },
    { service: 'outpatient_appointment', measure: 'dsr', from, to, by: ['region', 'sex'] },
    { service: 'gp_appointment', measure: 'count', from, to, by: ['month'] },
  ];
}

describe('opt-out differential (three pipeline runs on one synthetic record)', () => {
  it('runs on the same period in all three warehouses', () => {
    expect(servers.B!.ctx.warehouse.period).toEqual(servers.A!.ctx.warehouse.period);
    expect(servers.C!.ctx.warehouse.period).toEqual(servers.A!.ctx.warehouse.period);
  });

  it('gives byte-identical research exports when only opted-out patients changed (A vs B)', async () => {
    for (const body of requests(servers.A!)) {
      expect(await researchCsv(servers.B!, body), JSON.stringify(body)).toBe(await researchCsv(servers.A!, body));
    }
  });

  it('changes planner-visible demand by exactly the opted-out patients\' extra encounters (A vs B)', async () => {
    let a = 0;
    let b = 0;
    for (const service of SERVICE_CODES) {
      a += await plannerTotal(servers.A!, service);
      b += await plannerTotal(servers.B!, service);
    }
    expect(extraEncounters).toBeGreaterThan(0);
    expect(b - a).toBe(extraEncounters);
  });

  it('is a real test: with X opted in (C), some research export differs from A', async () => {
    let differing = 0;
    for (const body of requests(servers.A!)) if ((await researchCsv(servers.C!, body)) !== (await researchCsv(servers.A!, body))) differing++;
    expect(differing).toBeGreaterThan(0);
  });

  it('under the all policy: research exports are the same bytes as under research, whatever X did (D = E = A)', async () => {
    for (const body of requests(servers.A!)) {
      const a = await researchCsv(servers.A!, body);
      expect(await researchCsv(servers.D!, body), JSON.stringify(body)).toBe(a);
      expect(await researchCsv(servers.E!, body), JSON.stringify(body)).toBe(a);
    }
  });

  it('under the all policy: planner demand leaves the opted-out patients out too (D = E < A)', async () => {
    let a = 0;
    let d = 0;
    let e = 0;
    for (const service of SERVICE_CODES) {
      a += await plannerTotal(servers.A!, service);
      d += await plannerTotal(servers.D!, service);
      e += await plannerTotal(servers.E!, service);
    }
    expect(e).toBe(d);
    expect(d).toBeLessThan(a);
  });
});
