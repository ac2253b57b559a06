import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startServer, type RunningServer } from '../../server/start.ts';
import { dimensionSlots, DIMENSION_NAMES } from '../../server/queries/dimensions.ts';
import { SERVICE_CODES, serviceHasBedDays } from '../../domain/services.ts';
import { TOKENS, tempDir, testAuthStore } from './helpers.ts';

const CLI = path.join(REPO_ROOT, 'pipelines/ingest/cli.ts');
const SAMPLE = path.join(REPO_ROOT, 'data-samples/sample-record');
const available = existsSync(CLI) && existsSync(SAMPLE);
if (!available) console.warn('sample-warehouse tests skipped: pipelines/ingest/cli.ts or data-samples/sample-record/ is missing');

let dir: string;
let srv: RunningServer;
let warehouse: string;

/** Builds the sample warehouse with the real pipeline into a temp folder (about 10 s). */
beforeAll(async () => {
  if (!available) return;
  dir = tempDir('lhcre-sample-');
  warehouse = path.join(dir, 'warehouse');
  const key = path.join(dir, 'key');
  writeFileSync(key, randomBytes(32).toString('hex'), { mode: 0o600 });
  const r = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [CLI, '--input', SAMPLE, '--warehouse', warehouse, '--key-file', key, '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pipeline failed: ${r.stderr}`);
  srv = await startServer({ warehouseDir: warehouse, auth: testAuthStore(), logger: pino({ level: 'silent' }), stateDir: path.join(dir, 'state'), threads: 1 });
});
afterAll(async () => {
  if (!available) return;
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function direct<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    return (await c.runAndReadAll(sql.replaceAll('{WH}', warehouse))).getRowObjectsJS() as T[];
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

const auth = { authorization: `Bearer ${TOKENS.planner}` };

describe.runIf(available)('on the sample warehouse built by the pipeline', () => {
  it('every demand/compare/meta query runs, for every service and every single dimension', async () => {
    const { db, queries, warehouse: w } = srv.ctx;
    const bind = { from: `${w.period.from}-01`, to: `${w.period.to}-01`, region: null, stp: null };
    for (const service of SERVICE_CODES) {
      for (const d of DIMENSION_NAMES) {
        const q = queries.prepare('demand/from_rollups', { service, ...bind }, dimensionSlots([d]));
        expect((await db.queryRows(q.sql, q.params)).length).toBeGreaterThan(0);
      }
      const e = queries.prepare('demand/distinct_patients_from_events', { service, ...bind }, dimensionSlots(['year', 'region']));
      expect((await db.queryRows(e.sql, e.params)).length).toBeGreaterThan(0);
      const a = queries.prepare('compare/areas_by_age', { service, from: bind.from, to: bind.to });
      expect((await db.queryRows(a.sql, a.params)).length).toBe(14 * 19);
      const i = queries.prepare('compare/imd_by_age', { service, from: bind.from, to: bind.to, region: null });
      expect((await db.queryRows(i.sql, i.params)).length).toBeGreaterThan(100);
    }
    const m = queries.prepare('meta/period', {});
    expect(await db.queryRows(m.sql, m.params)).toHaveLength(1);
  });

  it('demand by month (Arrow) matches a direct count of events', async () => {
    const r = await fetch(`${srv.url}/api/demand?service=emergency_admission&region=one-london&by=month`, { headers: auth });
    const t = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    const got = new Map(t.toArray().map((x) => [new Date(x.month as number).toISOString().slice(0, 7), Number(x.value)]));
    const expected = await direct<{ m: string; n: bigint }>(`
      SELECT strftime(month, '%Y-%m') AS m, count(*) AS n FROM read_parquet('{WH}/events/**/*.parquet', hive_partitioning = true)
      WHERE service = 'emergency_admission' AND region = 'one-london' GROUP BY 1`);
    expect(expected.length).toBeGreaterThan(12);
    for (const e of expected) expect(got.get(e.m), e.m).toBe(Number(e.n));
  });

  it('crude rates by region: count / person-years, with the CI around the rate', async () => {
    const r = await fetch(`${srv.url}/api/demand?service=ae_attendance&by=region&measure=crude_rate&format=json`, { headers: auth });
    const body = (await r.json()) as { rows: { region: string; value: number; count: number; population: number; lo95: number; hi95: number }[] };
    expect(body.rows).toHaveLength(5);
    for (const row of body.rows) {
      expect(row.value).toBeCloseTo((row.count / row.population) * 1000, 9);
      expect(row.lo95).toBeLessThan(row.value);
      expect(row.hi95).toBeGreaterThan(row.value);
    }
  });

  it('compare returns all 5 regions and 14 STPs with the published columns', async () => {
    for (const service of SERVICE_CODES) {
      const r = await fetch(`${srv.url}/api/compare?service=${service}&format=json`, { headers: auth });
      const body = (await r.json()) as { rows: Record<string, unknown>[] };
      expect(body.rows.filter((x) => x.level === 'region')).toHaveLength(5);
      expect(body.rows.filter((x) => x.level === 'stp')).toHaveLength(14);
      for (const row of body.rows) expect(['higher', 'similar', 'lower']).toContain(row.comparison);
    }
  });

  it('bed days are offered for admissions only and add up to the events\' lengths of stay', async () => {
    for (const service of SERVICE_CODES) {
      const r = await fetch(`${srv.url}/api/demand?service=${service}&measure=bed_days&format=json`, { headers: auth });
      expect(r.status).toBe(serviceHasBedDays(service) ? 200 : 400);
    }
    const body = (await (await fetch(`${srv.url}/api/demand?service=emergency_admission&measure=bed_days&format=json`, { headers: auth })).json()) as { rows: { value: number }[] };
    const [e] = await direct<{ s: bigint }>(`SELECT coalesce(sum(los_days), 0) AS s FROM read_parquet('{WH}/events/**/*.parquet', hive_partitioning = true) WHERE service = 'emergency_admission'`);
    expect(body.rows[0]!.value).toBe(Number(e!.s));
  });

  it('every .sql file in sql/ runs on the sample warehouse, through the routes that use it', async () => {
    const { queries } = srv.ctx;
    const seen = new Set<string>();
    const prepare = queries.prepare;
    queries.prepare = (id, params, slots) => {
      seen.add(id);
      return prepare(id, params, slots);
    };
    const as = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });
    try {
      const gets = [
        '/api/demand?service=ae_attendance&by=month,region&measure=crude_rate',
        '/api/demand?service=ae_attendance&by=year,sex&measure=patients',
        '/api/compare?service=ae_attendance&from=2021-01&to=2021-12&format=json', // a window no other test asked for: not from the result cache
        '/api/compare?service=ae_attendance&by=imd_decile&format=json',
        '/api/forecast?level=region&area=wessex&service=emergency_admission&horizon=12',
      ];
      for (const g of gets) expect((await fetch(`${srv.url}${g}`, { headers: as('planner') })).status, g).toBe(200);
      for (const measure of ['count', 'patients', 'crude_rate', 'dsr']) {
        const res = await fetch(`${srv.url}/api/exports`, {
          method: 'POST',
          headers: { ...as('researcher'), 'content-type': 'application/json' },
          body: JSON.stringify({ service: 'ae_attendance', measure, from: '2022-01', to: '2022-12', by: ['region', 'sex'] }),
        });
        expect(res.status, measure).toBe(201);
      }
      const period = prepare('meta/period', {});
      expect(await srv.ctx.db.queryRows(period.sql, period.params)).toHaveLength(1);
      seen.add('meta/period');
    } finally {
      queries.prepare = prepare;
    }
    // forecast/all_series is the pipeline's: the build above ran it and wrote the forecasts.
    const manifest = JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')) as { forecasts: { status: string; series: number }; tables: Record<string, number> };
    expect(manifest.forecasts).toMatchObject({ status: 'written', series: (5 + 14) * SERVICE_CODES.length });
    const [f] = await direct<{ n: bigint; series: bigint }>(`SELECT count(*) AS n, count(DISTINCT (level, area_code, service)) AS series FROM read_parquet('{WH}/forecasts/*.parquet')`);
    expect(Number(f!.n)).toBe(manifest.tables.forecasts);
    expect(Number(f!.series)).toBe((5 + 14) * SERVICE_CODES.length);
    seen.add('forecast/all_series');
    expect([...seen].sort()).toEqual(queries.ids().sort());
  });

  it('researchers see the run counts under the disclosure rules; staff see them exact', async () => {
    type Counts = { resources: { Encounter: { read: number } }; disclosure?: string };
    type Body = { run: { counts: Counts }; counts: Counts };
    const fetchJson = async (p: string, role: keyof typeof TOKENS) => (await (await fetch(`${srv.url}${p}`, { headers: { authorization: `Bearer ${TOKENS[role]}` } })).json()) as Body;
    const exact = (await fetchJson('/api/meta', 'admin')).run.counts;
    const numbers = (v: unknown, at = ''): [string, number | null][] =>
      typeof v === 'number' || v === null ? [[at, v as number | null]]
        : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => numbers(x, `${at}.${k}`)) : [];
    // 263,892 encounters: exact for staff, 263,890 for researchers.
    expect(exact.resources.Encounter.read).toBe(263892);
    for (const counts of [(await fetchJson('/api/meta', 'researcher')).run.counts, (await fetchJson('/api/manifest', 'researcher')).counts]) {
      expect(counts.resources.Encounter.read).toBe(263890);
      expect(counts.disclosure).toMatch(/1-7 are null/);
      const shown = numbers({ ...counts, disclosure: undefined });
      expect(shown.length).toBeGreaterThan(10);
      for (const [at, v] of shown) expect(v === null || v % 5 === 0, at).toBe(true);
      // Every exact count maps to its published form: 0 stays 0, 1-7 withheld, others to the nearest 5.
      for (const [at, v] of numbers(exact)) {
        const got = shown.find(([k]) => k === at)?.[1];
        expect(got, at).toBe(v === null ? null : v >= 1 && v <= 7 ? null : Math.floor(v / 5 + 0.5) * 5);
      }
    }
  });
});
