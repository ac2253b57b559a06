import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT } from '../../server/start.ts';
import { get, rawRequest, startFixtureServer, tempDir, type FixtureServer } from './helpers.ts';

let srv: FixtureServer;
let staticDir: string;

beforeAll(async () => {
  staticDir = tempDir('lhcre-dist-');
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>lhcre</title><div id="app"></div>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  srv = await startFixtureServer({ staticDir });
});
afterAll(async () => {
  await srv.cleanup();
});

/** A direct DuckDB query over the fixture's Parquet, independent of the server's code. */
async function direct(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const r = await c.runAndReadAll(sql.replaceAll('{WH}', srv.warehouseDir));
    return r.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

describe('health, meta, manifest, openapi', () => {
  it('health needs no token', async () => {
    const r = await get(srv.url, '/api/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('meta lists regions with STPs, services, bands, period, run and role', async () => {
    const r = await get(srv.url, '/api/meta', 'commissioner');
    const m = (await r.json()) as {
      regions: { stps: unknown[] }[]; services: { code: string; hasBedDays: boolean }[]; ageBands: string[]; imdDeciles: number[];
      period: unknown; run: { runId: string; keyId: string }; freshness: unknown; role: string;
    };
    expect(m.regions).toHaveLength(5);
    expect(m.regions.flatMap((x) => x.stps)).toHaveLength(14);
    expect(m.services.find((s) => s.code === 'emergency_admission')!.hasBedDays).toBe(true);
    expect(m.ageBands).toHaveLength(19);
    expect(m.imdDeciles).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(m.period).toEqual({ from: '2019-01', to: '2020-12' });
    expect(m.run.runId).toBe('fixture-run-0001');
    expect(m.run.keyId).toBe('fixturekeyid0001');
    expect(m.freshness).toEqual({ lastEventMonth: '2020-12', builtAt: '2021-01-05T10:00:01.000Z' });
    expect(m.role).toBe('commissioner');
  });

  it('manifest: full for staff, counts only for researchers', async () => {
    const full = (await (await get(srv.url, '/api/manifest', 'admin')).json()) as Record<string, unknown>;
    expect(full.keyId).toBe('fixturekeyid0001');
    expect(full.inputs).toEqual([]);
    const limited = (await (await get(srv.url, '/api/manifest', 'researcher')).json()) as Record<string, unknown>;
    expect(Object.keys(limited).sort()).toEqual(['counts', 'finishedAt', 'runId', 'schemaVersion']);
  });

  it('openapi.json describes every core path', async () => {
    const doc = (await (await get(srv.url, '/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/health', '/api/meta', '/api/demand', '/api/compare', '/api/manifest', '/api/openapi.json']) expect(doc.paths).toHaveProperty([p]);
    // Other modules' paths are merged in when they exist, and every operation lists its responses.
    for (const [file, p] of [['forecast.ts', '/api/forecast'], ['exports.ts', '/api/exports']] as const) {
      if (existsSync(path.join(REPO_ROOT, 'server/openapi', file))) expect(doc.paths).toHaveProperty([p]);
    }
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, { responses?: object }>>)) {
      for (const [method, op] of Object.entries(item)) expect(op.responses, `${method} ${p}`).toBeTruthy();
    }
  });
});

describe('demand', () => {
  it('arrow: decoded values equal a direct DuckDB query, with DATE months and BIGINT values', async () => {
    const r = await get(srv.url, '/api/demand?service=emergency_admission&region=greater-manchester&by=month,age_band', 'planner');
    expect(r.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const t = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['month:Date32<DAY>', 'age_band:Utf8', 'value:Int64']);
    expect(t.schema.metadata.get('sourceRunId')).toBe('fixture-run-0001');
    const expected = await direct(`
      SELECT month, age_band, sum(events)::BIGINT AS value FROM read_parquet('{WH}/rollups/*.parquet')
      WHERE service = 'emergency_admission' AND region = 'greater-manchester' GROUP BY ALL ORDER BY ALL`);
    expect(t.numRows).toBe(48);
    const got = t.toArray().map((row) => {
      const o = row.toJSON() as { month: number; age_band: string; value: bigint };
      return { month: new Date(o.month).toISOString().slice(0, 10), age_band: o.age_band, value: o.value };
    });
    expect(got).toEqual(expected.map((e) => ({ month: (e.month as Date).toISOString().slice(0, 10), age_band: e.age_band, value: e.value })));
  });

  it('crude_rate: columns, person-years and a Byar interval around the rate', async () => {
    const r = await get(srv.url, '/api/demand?service=emergency_admission&stp=E54000007&by=year&measure=crude_rate', 'planner');
    const t = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['year', 'value', 'count', 'population', 'lo95', 'hi95']);
    const rows = t.toArray().map((x) => x.toJSON() as Record<string, number>);
    expect(rows[0]!.value).toBeCloseTo(70, 10); // 84 / 1200 * 1000
    expect(rows[1]!.value).toBeCloseTo(60, 10); // 84 / 1400 * 1000
    expect(rows[0]!.population).toBe(1200);
    expect(rows[0]!.lo95).toBeLessThan(70);
    expect(rows[0]!.hi95).toBeGreaterThan(70);
  });

  it('csv: measure, period and source run lines, then a header', async () => {
    const r = await get(srv.url, '/api/demand?service=emergency_admission&by=year,stp&from=2020-01&to=2020-12&format=csv', 'admin');
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await r.text()).trim().split('\n');
    expect(lines[0]).toBe('# measure: emergency_admission events in all five regions by year, stp');
    expect(lines[1]).toBe('# period: 2020-01 to 2020-12');
    expect(lines[2]).toBe('# source run: fixture-run-0001');
    expect(lines.slice(3)).toEqual(['year,stp,value', '2020,E54000007,84', '2020,E54000041,36', '2020,E54000042,6']);
  });

  it('compare csv: the measure, period and source run lines, then the published columns in order', async () => {
    const r = await get(srv.url, '/api/compare?service=emergency_admission&from=2019-01&to=2020-12&format=csv', 'commissioner');
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await r.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^# measure: .*emergency_admission/);
    expect(lines[1]).toBe('# period: 2019-01 to 2020-12');
    expect(lines[2]).toBe('# source run: fixture-run-0001');
    expect(lines[3]).toBe('area_code,area_name,level,count,population,crude_rate,crude_lo95,crude_hi95,dsr,dsr_lo95,dsr_hi95,dsr_lo998,dsr_hi998,funnel_lo95,funnel_hi95,funnel_lo998,funnel_hi998,comparison');
    // The fixture's areas with a population: 2 regions, 3 STPs. Greater Manchester: 168 admissions
    // over 1,300 + 1,300 person-years = 64.615... per 1,000 a year, above the benchmark.
    expect(lines.slice(4).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'greater-manchester,Greater Manchester,region', 'wessex,Wessex,region',
      'E54000007,Greater Manchester,stp', 'E54000042,Hampshire and the Isle of Wight,stp', 'E54000041,Dorset,stp',
    ]);
    const gm = lines[4]!.split(',');
    expect(Number(gm[3])).toBe(168);
    expect(Number(gm[4])).toBe(2600);
    expect(Number(gm[5])).toBeCloseTo((168 / 2600) * 1000, 9);
    expect(gm[17]).toBe('higher');
  });

  it('json: meta and rows, 64-bit ints as numbers, dates as YYYY-MM-DD', async () => {
    const r = await get(srv.url, '/api/demand?service=emergency_admission&stp=E54000042&by=month&from=2019-01&to=2019-03&measure=bed_days&format=json', 'planner');
    const body = (await r.json()) as { meta: Record<string, unknown>; rows: unknown[] };
    expect(body.meta.period).toBe('2019-01 to 2019-03');
    expect(body.rows).toEqual([{ month: '2019-01-01', value: 0 }, { month: '2019-02-01', value: 0 }, { month: '2019-03-01', value: 0 }]);
  });

  it('patients: by month from rollups, by year from events', async () => {
    const monthly = (await (await get(srv.url, '/api/demand?service=emergency_admission&stp=E54000007&by=month&from=2019-01&to=2019-01&measure=patients&format=json', 'planner')).json()) as { rows: unknown[] };
    expect(monthly.rows).toEqual([{ month: '2019-01-01', value: 6 }]);
    const yearly = (await (await get(srv.url, '/api/demand?service=emergency_admission&stp=E54000007&by=year&measure=patients&format=json', 'planner')).json()) as { rows: unknown[] };
    expect(yearly.rows).toEqual([{ year: 2019, value: 6 }, { year: 2020, value: 6 }]);
  });

  it('no by: one total row', async () => {
    const body = (await (await get(srv.url, '/api/demand?service=ae_attendance&format=json', 'planner')).json()) as { rows: unknown[] };
    expect(body.rows).toEqual([{ value: 240 }]);
  });
});

describe('compare', () => {
  it('arrow: the published columns, regions then STPs, hand-checked rates', async () => {
    const r = await get(srv.url, '/api/compare?service=emergency_admission', 'commissioner');
    const t = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    expect(t.schema.fields.map((f) => f.name)).toEqual([
      'area_code', 'area_name', 'level', 'count', 'population', 'crude_rate', 'crude_lo95', 'crude_hi95', 'dsr', 'dsr_lo95',
      'dsr_hi95', 'dsr_lo998', 'dsr_hi998', 'funnel_lo95', 'funnel_hi95', 'funnel_lo998', 'funnel_hi998', 'comparison',
    ]);
    const rows = t.toArray().map((x) => x.toJSON() as Record<string, number & bigint & string>);
    expect(rows.map((x) => `${x.level}:${x.area_code}`)).toEqual([
      'region:greater-manchester', 'region:wessex', 'stp:E54000007', 'stp:E54000042', 'stp:E54000041',
    ]);
    const gm = rows[0]!;
    expect(gm.count).toBe(168n);
    expect(gm.population).toBe(2600);
    expect(gm.crude_rate).toBeCloseTo((168 / 2600) * 1000, 10);
    // ESP2013: (48/2200 * 5000 + 120/400 * 1500) / (5000 + 1500) * 1000
    expect(gm.dsr).toBeCloseTo(((48 / 2200) * 5000 + (120 / 400) * 1500) / 6500 * 1000, 9);
    expect(gm.dsr_lo998).toBeLessThan(gm.dsr_lo95);
    expect(gm.funnel_lo998).toBeLessThan(gm.funnel_lo95);
    expect(gm.comparison).toBe('higher');
    const benchmark = Number(t.schema.metadata.get('benchmark_dsr'));
    // all five: 0-4: 60 events / 4000 py; 85-89: 156 / 900 py
    expect(benchmark).toBeCloseTo(((60 / 4000) * 5000 + (156 / 900) * 1500) / 6500 * 1000, 9);
    expect(gm.funnel_lo95).toBeLessThan(benchmark);
    expect(gm.funnel_hi95).toBeGreaterThan(benchmark);
  });

  it('by=imd_decile: the deprivation gradient columns', async () => {
    const body = (await (await get(srv.url, '/api/compare?service=emergency_admission&by=imd_decile&format=json', 'planner')).json()) as { rows: Record<string, number>[] };
    expect(Object.keys(body.rows[0]!)).toEqual(['imd_decile', 'count', 'population', 'crude_rate', 'crude_lo95', 'crude_hi95', 'dsr', 'dsr_lo95', 'dsr_hi95']);
    expect(body.rows.map((x) => [x.imd_decile, x.count, x.population])).toEqual([[1, 168, 2600], [10, 48, 2300]]);
  });

  it('DSR is null below 10 events, and comparison falls back to the crude interval', async () => {
    const body = (await (await get(srv.url, '/api/compare?service=emergency_admission&from=2019-01&to=2019-06&region=wessex&format=json', 'planner')).json()) as { rows: Record<string, unknown>[] };
    const hiow = body.rows.find((x) => x.area_code === 'E54000042')!;
    expect(hiow.count).toBe(3);
    expect(hiow.dsr).toBeNull();
    expect(hiow.crude_rate).not.toBeNull();
    expect(['higher', 'similar', 'lower']).toContain(hiow.comparison);
  });
});

describe('static client', () => {
  it('serves files, falls back to index.html for app routes, 404s unknown files and API paths', async () => {
    const index = await get(srv.url, '/');
    expect(await index.text()).toContain('<div id="app">');
    expect((await get(srv.url, '/assets/app.js')).status).toBe(200);
    expect(await (await get(srv.url, '/compare/areas')).text()).toContain('<div id="app">');
    expect((await get(srv.url, '/assets/missing.js')).status).toBe(404);
    const api = await get(srv.url, '/api/nothing-here', 'planner');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('does not list directories or serve dotfiles', async () => {
    const dir = await rawRequest(srv.port, '/assets/');
    expect(dir.body).not.toContain('app.js');
    writeFileSync(path.join(staticDir, '.env'), 'SECRET=1');
    const dot = await rawRequest(srv.port, '/.env');
    expect(dot.body).not.toContain('SECRET');
  });

  it('sends security headers and no x-powered-by', async () => {
    const r = await get(srv.url, '/api/health');
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
