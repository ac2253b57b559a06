import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForecastResponse } from '../../forecast/api/respond.ts';
import { get, startFixtureServer, type FixtureServer } from '../server/helpers.ts';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server?.cleanup();
});

const Q = '/api/forecast?level=region&area=greater-manchester&service=emergency_admission';

describe('GET /api/forecast', () => {
  it('returns history, fitted, reconciled forecast, backtest, COVID handling and scenario in one JSON', async () => {
    const res = await get(server.url, `${Q}&horizon=12&nonDemGrowth=1&scheme=emergency_admission:10:2021-03:3`, 'planner');
    expect(res.status).toBe(200);
    const b = (await res.json()) as ForecastResponse;
    expect(b.series).toEqual({ level: 'region', area: 'greater-manchester', region: 'greater-manchester', service: 'emergency_admission' });
    expect(b.history).toHaveLength(24);
    expect(b.history[0]).toMatchObject({ month: '2019-01', value: 7 });
    expect(b.forecast).toHaveLength(12);
    expect(b.forecast[0].month).toBe('2021-01');
    for (const f of b.forecast) expect(f.lo95 <= f.lo80 && f.lo80 <= f.value && f.value <= f.hi80 && f.hi80 <= f.hi95).toBe(true);
    expect(b.covid).toMatchObject({ from: '2020-03', to: '2021-03' });
    expect(b.backtest!.summary).toHaveProperty('naiveMase');
    const p = b.scenario.projected;
    expect(p).toHaveLength(12);
    // Fixture: 7 admissions a month, 3 + 20 bed days a month -> mean LOS 23/7.
    expect(b.scenario.params.meanLosDays).toBeCloseTo(23 / 7, 4);
    expect(p[0]!.baseline).toBeCloseTo(7, 6);
    expect(p[0]!.avoided).toBe(0);
    expect(p[3]!.avoided / p[3]!.nonDemographic).toBeCloseTo(0.1 * (2 / 3), 3);
    expect(p[5]!.beds).toBeCloseTo(p[5]!.bedDays! / 30 / 0.92, 3);
  });

  it('the STP forecasts of a region add up to the region forecast', async () => {
    const region = (await (await get(server.url, '/api/forecast?level=region&area=wessex&service=emergency_admission&horizon=6', 'commissioner')).json()) as ForecastResponse;
    const a = (await (await get(server.url, '/api/forecast?level=stp&area=E54000042&service=emergency_admission&horizon=6', 'commissioner')).json()) as ForecastResponse;
    const b = (await (await get(server.url, '/api/forecast?level=stp&area=E54000041&service=emergency_admission&horizon=6', 'commissioner')).json()) as ForecastResponse;
    region.forecast.forEach((f, i) => expect(f.value).toBeCloseTo(a.forecast[i]!.value + b.forecast[i]!.value, 3));
  });

  it('the STP scenarios of a region add up to the region scenario, bed days and beds included', async () => {
    const q = (level: string, area: string) =>
      `/api/forecast?level=${level}&area=${area}&service=emergency_admission&horizon=6&popGrowth=1.5&nonDemGrowth=2&occupancy=85&scheme=emergency_admission:20:2021-02:2`;
    const [region, a, b] = await Promise.all([q('region', 'wessex'), q('stp', 'E54000042'), q('stp', 'E54000041')]
      .map(async (path) => (await (await get(server.url, path, 'planner')).json()) as ForecastResponse));
    expect(region.scenario.projected).toHaveLength(6);
    region.scenario.projected.forEach((r, i) => {
      const x = a.scenario.projected[i]!;
      const y = b.scenario.projected[i]!;
      for (const k of ['baseline', 'demographic', 'nonDemographic', 'avoided', 'value', 'bedDays', 'beds'] as const) {
        expect(r[k], `${k} in ${r.month}`).toBeCloseTo((x[k] ?? 0) + (y[k] ?? 0), 3);
      }
    });
    expect(region.scenario.projected.at(-1)!.avoided).toBeGreaterThan(0);
  });

  it('serves the forecast table as Arrow and CSV', async () => {
    const arrow = await get(server.url, `${Q}&horizon=3&format=arrow`, 'admin');
    expect(arrow.headers.get('content-type')).toMatch(/arrow/);
    const t = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['level', 'area_code', 'service', 'month', 'kind', 'value', 'lo80', 'hi80', 'lo95', 'hi95', 'method']);
    expect(t.toArray().filter((r) => r.kind === 'forecast')).toHaveLength(3);
    const csv = await (await get(server.url, `${Q}&horizon=3&format=csv`, 'planner')).text();
    expect(csv.split('\n')[3]).toBe('level,area_code,service,month,kind,value,lo80,hi80,lo95,hi95,method');
  });

  it('is 403 for researchers and 401 without a token', async () => {
    expect((await get(server.url, Q, 'researcher')).status).toBe(403);
    expect((await get(server.url, Q)).status).toBe(401);
  });

  it.each([
    ['&horizon=61', 'horizon', /at most 60/],
    ['&horizon=0', 'horizon', /from 1 to 60/],
    ['&horizon=2.5', 'horizon', /whole number/],
    ['&popGrowth=11', 'popGrowth', /between -10 and 10/],
    ['&nonDemGrowth=abc', 'nonDemGrowth', /must be a number/],
    ['&occupancy=40', 'occupancy', /50-100/],
    ['&scheme=ae_attendance:5:2025-01:3,ae_attendance:5:2025-01:3,ae_attendance:5:2025-01:3,ae_attendance:5:2025-01:3,ae_attendance:5:2025-01:3,ae_attendance:5:2025-01:3', 'scheme', /at most 5 schemes/],
    ['&scheme=ae_attendance:150:2025-01:3', 'scheme', /percent/],
    ['&scheme=bogus:5:2025-01:3', 'scheme', /unknown service/],
    ['&scheme=ae_attendance:5:2025-13:3', 'scheme', /YYYY-MM/],
    ['&method=arima', 'method', /method must be one of/],
    ['&covid=2021-01:2020-01', 'covid', /from <= to/],
    ['&colour=red', 'colour', /unknown parameter/],
    ['&horizon=', 'horizon', /empty/],
  ])('400 for %s naming %s', async (extra, param, detail) => {
    const res = await get(server.url, `${Q}${extra}`, 'planner');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await res.json()) as { param: string; detail: string };
    expect(body.param).toBe(param);
    expect(body.detail).toMatch(detail);
  });

  it.each([
    ['/api/forecast?area=wessex&service=ae_attendance', 'level'],
    ['/api/forecast?level=region&area=E54000042&service=ae_attendance', 'area'],
    ['/api/forecast?level=stp&area=wessex&service=ae_attendance', 'area'],
    ['/api/forecast?level=region&area=wessex', 'service'],
    ['/api/forecast?level=region&area=wessex&service=ae_attendance&level=stp', 'level'],
  ])('400 for %s naming %s', async (url, param) => {
    const res = await get(server.url, url, 'planner');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { param: string }).param).toBe(param);
  });
});
