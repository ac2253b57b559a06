import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, TOKENS, tempDir, type FixtureServer } from '../server/helpers.ts';

// Small limits so the 413 and 429 paths can be reached on the two-year fixture.
process.env.EXPORT_MAX_CELLS = '3000';
process.env.EXPORT_PER_HOUR = '12';

let s: FixtureServer;
beforeAll(async () => {
  s = await startFixtureServer();
});
afterAll(async () => {
  await s?.cleanup();
  delete process.env.EXPORT_MAX_CELLS;
  delete process.env.EXPORT_PER_HOUR;
});

async function post(body: unknown, role = 'researcher', raw?: string): Promise<Response> {
  return fetch(`${s.url}/api/exports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${(TOKENS as Record<string, string>)[role]}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
}
const get = (p: string, role = 'researcher') => fetch(`${s.url}${p}`, { headers: { authorization: `Bearer ${(TOKENS as Record<string, string>)[role]}` } });
async function exportCsv(body: unknown, role = 'researcher'): Promise<{ id: string; csv: string }> {
  const res = await post(body, role);
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const csv = await (await get(`/api/exports/${id}?format=csv`, role)).text();
  return { id, csv };
}
const dataLines = (csv: string) => csv.split('\n').filter((l) => l && !l.startsWith('#'));

const year2019 = { service: 'emergency_admission', from: '2019-01', to: '2019-12' };

describe('research exports over the fixture (allow-list: pids 1, 10, 11, 20)', () => {
  it('counts by region with primary and secondary suppression, worked by hand', async () => {
    // 2019 emergency admissions on the allow-list: GM pid 1 (12) + pid 10 (24) + pid 11 (12) = 48;
    // Wessex pid 20 in odd months = 6 -> suppressed; the region line then needs a second cell:
    // the smallest positive shown one is GM (48). Total 54 -> 55. Other regions: true zeros.
    const { id, csv } = await exportCsv({ ...year2019, measure: 'count', by: ['region'] });
    expect(csv.split('\n').slice(0, 3)).toEqual([
      '# measure: Emergency admissions: count, research allow-list only',
      '# period: 2019-01 to 2019-12',
      '# source run: fixture-run-0001',
    ]);
    expect(dataLines(csv)).toEqual([
      'region,count,count_suppressed',
      'greater-manchester,*,true',
      'wessex,*,true',
      'one-london,0,false',
      'yorkshire-humber,0,false',
      'thames-valley-surrey,0,false',
      'Total,55,false',
    ]);
    const meta = (await (await get(`/api/exports/${id}/metadata`)).json()) as {
      cells: Record<string, number>;
      source: { runId: string };
      period: { from: string; to: string };
      rules: string[];
      definitions: { columns: Record<string, string> };
    };
    expect(meta.cells).toMatchObject({ rows: 6, suppressedPrimary: 1, suppressedSecondary: 1 });
    expect(meta.source.runId).toBe('fixture-run-0001');
    expect(meta.period).toEqual({ from: '2019-01', to: '2019-12' });
    expect(meta.rules.join(' ')).toMatch(/1 to 7/);
    expect(meta.definitions.columns.count_suppressed).toMatch(/withheld/);
  });

  it('never shows the unrestricted (all-patient) figures: GM has 84 admissions in 2019, researchers see only the allow-list', async () => {
    const planner = await (await get('/api/demand?service=emergency_admission&from=2019-01&to=2019-12&region=greater-manchester&format=json', 'planner')).json() as { rows: { value: number }[] };
    expect(planner.rows[0]!.value).toBe(84);
    const { csv } = await exportCsv({ ...year2019, measure: 'count', by: ['sex'] });
    // female: pid 1 (12) + pid 20 (6) = 18 -> 20; male: pids 10, 11 = 36 -> 35; total 54 -> 55.
    expect(dataLines(csv)).toEqual(['sex,count,count_suppressed', 'female,20,false', 'male,35,false', 'Total,55,false']);
  });

  it('crude rates from the rounded count and rounded person-years', async () => {
    // Research person-years 2019: female 500 + 300 + 150 = 950, male 100 + 50 + 75 = 225.
    // female 20 / 950 * 1000 = 21.05; male 35 / 225 * 1000 = 155.56; total 55 / 1175 * 1000 = 46.81,
    // printed no finer than the count's rounding moves them (+-2.5 events: 2.6, 11.1 and 2.1 per
    // 1,000): to the nearest 1, 10 and 1.
    const { csv } = await exportCsv({ ...year2019, measure: 'crude_rate', by: ['sex'] });
    const rows = dataLines(csv).map((l) => l.split(','));
    expect(rows[0]).toEqual(['sex', 'count', 'person_years', 'crude_rate', 'lo95', 'hi95', 'count_suppressed', 'person_years_suppressed']);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['female', '20', '950', '21'],
      ['male', '35', '225', '160'],
      ['Total', '55', '1175', '47'],
    ]);
    // Byar 95% limits for 20 events: 12.22 .. 30.89 -> 12.86 .. 32.51 per 1,000 over 950 person-years.
    expect(rows[1]!.slice(4, 6)).toEqual([String(Math.round((12.2165 / 950) * 1000)), String(Math.round((30.8884 / 950) * 1000))]);
  });

  it('withholds the rate of a suppressed count, and the DSR below 10 events or over a suppressed count', async () => {
    const { csv } = await exportCsv({ ...year2019, measure: 'dsr', by: ['region'] });
    const rows = dataLines(csv).map((l) => l.split(','));
    expect(rows[0]).toEqual(['region', 'count', 'person_years', 'dsr', 'lo95', 'hi95', 'count_suppressed', 'person_years_suppressed']);
    expect(rows[1]!.slice(0, 4)).toEqual(['greater-manchester', '*', '600', '*']);
    expect(rows[2]!.slice(0, 4)).toEqual(['wessex', '*', '575', '*']);
    // Total: 0-4 band 18 events over 950 person-years, 85-89 band 36 over 225; ESP weights 5000, 1500.
    // From the protected strata (18 -> 20, 36 -> 35; populations 950 and 225 unchanged by rounding):
    // (5000 * 20/950 + 1500 * 35/225) / 6500 * 1000 = 52.09, printed to the nearest 1 because
    // rounding the strata by 2.5 moves it by 2.5 * 1000 * sqrt((5000/950)^2 + (1500/225)^2) / 6500
    // = 3.3. (From the exact strata it would be 51.50: the DSR no longer carries them.)
    expect(rows[6]!.slice(0, 4)).toEqual(['Total', '55', '1175', '52']);
  });

  it('distinct patients come from events on the allow-list and are all suppressed here (2 + 2 = 4)', async () => {
    const { csv } = await exportCsv({ ...year2019, measure: 'patients', by: ['sex'] });
    expect(dataLines(csv)).toEqual(['sex,patients,patients_suppressed', 'female,*,true', 'male,*,true', 'Total,*,true']);
  });

  it('serves Parquet and JSON with nulls and flags, and the same request gives the same bytes', async () => {
    const body = { service: 'ae_attendance', measure: 'count', from: '2019-01', to: '2020-12', by: ['year', 'sex'] };
    const a = await exportCsv(body);
    const b = await exportCsv(body);
    expect(b.id).not.toBe(a.id);
    expect(b.csv).toBe(a.csv);
    const pa = Buffer.from(await (await get(`/api/exports/${a.id}?format=parquet`)).arrayBuffer());
    const pb = Buffer.from(await (await get(`/api/exports/${b.id}?format=parquet`)).arrayBuffer());
    expect(pa.subarray(0, 4).toString()).toBe('PAR1');
    expect(pb.equals(pa)).toBe(true);
    // Read the Parquet back: A&E is pid 1 only, 10 a month = 120 a year -> 120; female only.
    const dir = tempDir('lhcre-pq-');
    writeFileSync(path.join(dir, 'a.parquet'), pa);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const reader = await c.runAndReadAll(`SELECT year, sex, count, count_suppressed FROM read_parquet('${path.join(dir, 'a.parquet')}')`);
    const rows = reader.getRowObjectsJson();
    c.closeSync();
    db.closeSync();
    expect(rows.slice(0, 3)).toEqual([
      { year: '2019', sex: 'female', count: '120', count_suppressed: false },
      { year: '2019', sex: 'male', count: '0', count_suppressed: false },
      { year: '2019', sex: 'Total', count: '120', count_suppressed: false },
    ]);
    const json = (await (await get(`/api/exports/${a.id}?format=json`)).json()) as { rows: Record<string, unknown>[] };
    expect(json.rows).toHaveLength(9);
    expect(json.rows.at(-1)).toEqual({ year: 'Total', sex: 'Total', count: 240, count_suppressed: false });
  });

  it('shows no count of 1-7 and only multiples of 5 in any format', async () => {
    const res = await post({ service: 'emergency_admission', measure: 'count', from: '2019-01', to: '2020-12', by: ['month', 'stp'] });
    const { id } = (await res.json()) as { id: string };
    const json = (await (await get(`/api/exports/${id}?format=json`)).json()) as { rows: { count: number | null; count_suppressed: boolean }[] };
    expect(json.rows.length).toBe(25 * 15);
    for (const r of json.rows) {
      if (r.count === null) expect(r.count_suppressed).toBe(true);
      else expect(r.count % 5 === 0 && !(r.count >= 1 && r.count <= 7)).toBe(true);
    }
    const csv = await (await get(`/api/exports/${id}?format=csv`)).text();
    for (const line of dataLines(csv).slice(1)) {
      const v = line.split(',')[2]!;
      expect(v === '*' || Number(v) % 5 === 0).toBe(true);
    }
  });

  it('lists only the caller\'s exports and hides them from other roles', async () => {
    const mine = (await (await get('/api/exports')).json()) as { exports: { id: string; owner: string }[] };
    expect(mine.exports.length).toBeGreaterThanOrEqual(6);
    expect(new Set(mine.exports.map((e) => e.owner))).toEqual(new Set(['t-researcher']));
    const id = mine.exports[0]!.id;
    expect((await get(`/api/exports/${id}?format=csv`, 'planner')).status).toBe(403);
    expect((await get(`/api/exports/${id}`, 'admin')).status).toBe(200);
    expect((await get('/api/exports/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/exports/..%2F..%2Fetc')).status).toBe(404);
    expect((await get(`/api/exports/${id}?format=xlsx`)).status).toBe(400);
  });
});

describe('who may export', () => {
  const body = { ...year2019, measure: 'count', by: ['region'] };
  it('refuses planners and commissioners (403) and anonymous callers (401)', async () => {
    expect((await post(body, 'planner')).status).toBe(403);
    expect((await post(body, 'commissioner')).status).toBe(403);
    expect((await post(body, '')).status).toBe(401);
    expect((await get('/api/exports', 'planner')).status).toBe(403);
  });

  it('refuses researchers on every all-patient data endpoint, in every format', async () => {
    const spec = (await (await fetch(`${s.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const researcherMay = new Set(['/api/health', '/api/openapi.json', '/api/meta', '/api/manifest', '/api/exports', '/api/exports/{id}', '/api/exports/{id}/metadata']);
    const others = Object.keys(spec.paths).filter((p) => !researcherMay.has(p) && spec.paths[p]!.get);
    expect(others).toEqual(expect.arrayContaining(['/api/demand', '/api/compare', '/api/forecast', '/api/audit']));
    for (const p of others) {
      for (const format of ['arrow', 'csv', 'json']) {
        const q = `?service=emergency_admission&from=2019-01&to=2019-12&format=${format}&level=region&area=wessex`;
        const res = await get(`${p.replace('{id}', 'x')}${q}`, 'researcher');
        expect(res.status, `${p} ${format}`).toBe(403);
      }
    }
  });
});

describe('bad requests name the field', () => {
  const good = { ...year2019, measure: 'count', by: ['region'] };
  const cases: [string, unknown, string][] = [
    ['missing service', { ...good, service: undefined }, 'service'],
    ['unknown service', { ...good, service: 'dentistry' }, 'service'],
    ['unknown measure', { ...good, measure: 'bed_days' }, 'measure'],
    ['bad month', { ...good, from: '2019-13' }, 'from'],
    ['month outside the data', { ...good, from: '2018-01' }, 'from'],
    ['to before from', { ...good, from: '2019-06', to: '2019-05' }, 'to'],
    ['four dimensions', { ...good, by: ['region', 'sex', 'year', 'month'] }, 'by'],
    ['repeated dimension', { ...good, by: ['sex', 'sex'] }, 'by'],
    ['unknown dimension', { ...good, by: ['lsoa11'] }, 'by'],
    ['dsr by age band', { ...good, measure: 'dsr', by: ['age_band'] }, 'by'],
    ['unknown field', { ...good, sql: 'select 1' }, 'sql'],
    ['not an object', [1, 2], 'body'],
  ];
  it.each(cases)('%s -> 400', async (_name, body, param) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await res.json()) as { param: string; detail: string };
    expect(problem.param).toBe(param);
    expect(problem.detail.length).toBeGreaterThan(10);
  });

  it('rejects a body that is not JSON', async () => {
    expect((await post(null, 'researcher', '{"service":')).status).toBe(400);
  });

  it('413 when the table would exceed the row limit (3,000 in this test)', async () => {
    // (24 + 1) months x (14 + 1) STPs x (10 + 1) deciles = 4,125 rows.
    const res = await post({ service: 'emergency_admission', measure: 'count', from: '2019-01', to: '2020-12', by: ['month', 'stp', 'imd_decile'] });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/4,125 rows.*limit is 3,000/);
  });
});

describe('audit', () => {
  it('admins read the audit log with its chain status; others may not', async () => {
    expect((await get('/api/audit', 'researcher')).status).toBe(403);
    expect((await get('/api/audit', 'planner')).status).toBe(403);
    const res = await get('/api/audit?limit=1000', 'admin');
    expect(res.status).toBe(200);
    interface Entry {
      method: string;
      outcome: string;
      user: string | null;
      endpoint: string;
      status: number;
      detail?: string;
      params: Record<string, unknown>;
      suppressed?: unknown;
      rows?: number;
    }
    const body = (await res.json()) as { chain: { ok: boolean; entries: number }; entries: Entry[] };
    expect(body.chain.ok).toBe(true);
    expect(body.chain.entries).toBe(body.entries.length);
    const created = body.entries.find((e) => e.method === 'POST' && e.outcome === 'ok');
    expect(created).toMatchObject({ user: 't-researcher', role: 'researcher', endpoint: '/api/exports', status: 201 });
    expect(created!.params).toMatchObject({ service: expect.any(String), measure: expect.any(String) });
    expect(created!.suppressed).toEqual({ primary: expect.any(Number), secondary: expect.any(Number) });
    expect(body.entries.some((e) => e.user === 't-planner' && e.endpoint === '/api/exports' && e.outcome === 'denied')).toBe(true);
    expect(body.entries.some((e) => e.status === 400 && e.outcome === 'rejected' && /unknown field 'sql'/.test(e.detail ?? ''))).toBe(true);
    expect(body.entries.some((e) => e.status === 413)).toBe(true);
    // The endpoint is the route pattern; the id is its own field.
    const download = body.entries.find((e) => e.method === 'GET' && e.endpoint === '/api/exports/:id' && e.params.format === 'parquet');
    expect(download).toMatchObject({ outcome: 'ok', rows: 9, exportId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await get('/api/audit?limit=0', 'admin')).status).toBe(400);
    expect((await get('/api/audit?drop=1', 'admin')).status).toBe(400);
  });

  it('every data download by any role is audited: demand, compare and forecast, including refusals', async () => {
    const demand = '/api/demand?service=ae_attendance&from=2019-01&to=2019-12&by=region&format=csv';
    const served = await get(demand, 'planner');
    expect(served.status).toBe(200);
    const servedRows = dataLines(await served.text()).length - 1;
    expect(servedRows).toBeGreaterThan(0);
    expect((await get('/api/compare?service=ae_attendance&from=2019-01&to=2019-12&format=json', 'commissioner')).status).toBe(200);
    expect((await get('/api/forecast?level=region&area=wessex&service=ae_attendance&horizon=6', 'admin')).status).toBe(200);
    expect((await get(demand, 'researcher')).status).toBe(403);
    expect((await fetch(`${s.url}${demand}`)).status).toBe(401);
    // Entries are appended when each response finishes; give the last one a moment.
    await new Promise((r) => setTimeout(r, 200));
    const body = (await (await get('/api/audit?limit=1000', 'admin')).json()) as {
      chain: { ok: boolean };
      entries: { user: string | null; role: string | null; endpoint: string; outcome: string; status: number; rows?: number; params: Record<string, unknown> }[];
    };
    expect(body.chain.ok).toBe(true);
    const of = (endpoint: string, user: string | null) => body.entries.filter((e) => e.endpoint === endpoint && e.user === user);
    const d = of('/api/demand', 't-planner').find((e) => e.params.format === 'csv');
    // The rows the planner was sent; params are the validated request, not the raw query string.
    expect(d).toMatchObject({ role: 'planner', outcome: 'ok', status: 200, rows: servedRows, params: { service: 'ae_attendance', by: ['region'], measure: 'count' } });
    expect(of('/api/compare', 't-commissioner').some((e) => e.outcome === 'ok' && (e.rows ?? 0) > 0)).toBe(true);
    expect(of('/api/forecast', 't-admin').some((e) => e.outcome === 'ok' && e.params.area === 'wessex' && (e.rows ?? 0) > 6)).toBe(true);
    expect(of('/api/demand', 't-researcher').some((e) => e.outcome === 'denied' && e.status === 403)).toBe(true);
    expect(of('/api/demand', null).some((e) => e.outcome === 'denied' && e.status === 401)).toBe(true);
  });

  it('429 after the hourly export limit (12 in this test), with Retry-After', async () => {
    const body = { ...year2019, measure: 'count', by: ['sex'] };
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await post(body, 'admin')).status);
    expect(statuses.slice(0, 12).every((x) => x === 201)).toBe(true);
    const res = await post(body, 'admin');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/12 exports in the last hour/);
  });
});
