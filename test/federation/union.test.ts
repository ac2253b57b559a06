/**
 * A federation of five regional warehouses, each built by the real pipeline from its own
 * region-filtered record, served as one, against the single warehouse built from the whole
 * record with the same key: every table row for row, every dashboard response cell for cell.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS, STPS, stpsOfRegion, type RegionCode } from '../../domain/geography.ts';
import { SERVICE_CODES, serviceHasBedDays } from '../../domain/services.ts';
import { loadLsoaPopulations } from '../../domain/reference-data.ts';
import { runPipeline } from '../../pipelines/ingest/run.ts';
import { REPO_ROOT, startServer, type RunningServer } from '../../server/start.ts';
import { TABLES } from '../../server/store/member.ts';
import { tokenHash } from '../../server/auth/tokens.ts';
import { TOKENS, testAuthStore } from '../server/helpers.ts';
import { splitRecordByRegion } from './split-record.ts';

const SAMPLE = path.join(REPO_ROOT, 'data-samples/sample-record');
const AS_OF = '2024-12-31';

let root: string;
let keyFile: string;
let whole: string;
const memberDirs = {} as Record<RegionCode, string>;
let single: RunningServer;
let union: RunningServer;

async function build(input: string, warehouse: string): Promise<string> {
  const r = await runPipeline({
    input, warehouse, keyFile, optOut: path.join(input, 'national-data-opt-out.txt'), quarantine: `${warehouse}.quarantine`,
    policy: 'research', threads: 2, memoryLimit: '1GB', asOf: AS_OF,
  });
  expect(r.status).toBe('published');
  return r.manifest.runId;
}

const serve = (dirs: string | string[], state: string) =>
  startServer({ warehouseDir: dirs, auth: testAuthStore(), port: 0, staticDir: null, stateDir: path.join(root, state), logger: pino({ level: 'silent' }), threads: 1 });

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lhcre-federation-'));
  keyFile = path.join(root, 'key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const split = await splitRecordByRegion(SAMPLE, path.join(root, 'records'));
  whole = path.join(root, 'whole');
  await build(SAMPLE, whole);
  for (const r of REGIONS) {
    memberDirs[r.code] = path.join(root, `wh-${r.code}`);
    await build(split.dirs[r.code], memberDirs[r.code]);
  }
  single = await serve(whole, 'state-single');
  // Flags in an order unlike REGIONS: members are sorted by region.
  union = await serve([...REGIONS].reverse().map((r) => memberDirs[r.code]), 'state-union');
}, 240_000);

afterAll(async () => {
  await single?.close();
  await union?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

type Role = keyof typeof TOKENS;
async function json(srv: RunningServer, p: string, role: Role = 'planner'): Promise<Record<string, unknown>> {
  const res = await fetch(`${srv.url}${p}`, { headers: { authorization: `Bearer ${TOKENS[role]}` } });
  expect(res.status, p).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** The same request to both servers: the bodies, with the source run (which must differ) set aside. */
async function both(p: string, role: Role = 'planner') {
  const [a, b] = await Promise.all([json(single, p, role), json(union, p, role)]);
  const strip = (x: Record<string, unknown>) => {
    const meta = x.meta as Record<string, unknown> | undefined;
    return meta ? { ...x, meta: { ...meta, sourceRunId: 'set aside' } } : x;
  };
  return { single: strip(a), union: strip(b), raw: { single: a, union: b } };
}

describe('five regional warehouses served as one', () => {
  it('orders the members by region, one region each, and names every member run in the served run id', () => {
    const members = union.ctx.warehouse.members;
    expect(members.map((m) => m.regions)).toEqual(REGIONS.map((r) => [r.code]));
    expect(members.map((m) => m.dir)).toEqual(REGIONS.map((r) => memberDirs[r.code]));
    expect(union.ctx.warehouse.runId).toBe(members.map((m) => m.runId).join('+'));
    expect(new Set(members.map((m) => m.runId)).size).toBe(5);
    expect(union.ctx.warehouse.keyId).toBe(single.ctx.warehouse.keyId);
    expect(union.ctx.warehouse.period).toEqual(single.ctx.warehouse.period);
    expect(union.ctx.warehouse.views).toEqual(single.ctx.warehouse.views);
  });

  it('every table of the union equals the single warehouse row for row (multiset difference empty both ways)', async () => {
    const views = single.ctx.warehouse.views;
    expect(views).toEqual(TABLES.map((t) => t.name));
    for (const t of TABLES) {
      const file = `read_parquet('${path.join(whole, t.glob).replaceAll("'", "''")}'${t.hive ? `, ${t.hive}` : ''})`;
      const [r] = await union.ctx.db.queryRows(`SELECT
        (SELECT count(*) FROM ${t.name}) AS served,
        (SELECT count(*) FROM ${file}) AS written,
        (SELECT count(*) FROM (SELECT * FROM ${t.name} EXCEPT ALL SELECT * FROM ${file})) AS only_union,
        (SELECT count(*) FROM (SELECT * FROM ${file} EXCEPT ALL SELECT * FROM ${t.name})) AS only_single`);
      expect({ table: t.name, ...r }, t.name).toEqual({ table: t.name, served: r!.written, written: r!.written, only_union: 0, only_single: 0 });
      expect(Number(r!.written), t.name).toBeGreaterThan(0);
    }
    // Each member alone is a strict part: the comparison above could fail.
    const [gm] = await single.ctx.db.queryRows(`SELECT count(*) AS n FROM read_parquet('${path.join(memberDirs['greater-manchester'], 'rollups/*.parquet')}')`);
    const [all] = await single.ctx.db.queryRows('SELECT count(*) AS n FROM rollups');
    expect(Number(gm!.n)).toBeLessThan(Number(all!.n) / 2);
  });

  it('demand: every response equals the single warehouse\'s, for every service, grouping, filter and measure', async () => {
    let compared = 0;
    for (const service of SERVICE_CODES) {
      const measures = ['count', 'patients', 'crude_rate', ...(serviceHasBedDays(service) ? ['bed_days'] : [])];
      const queries = [
        ...measures.map((m) => `by=month&measure=${m}`),
        'by=year,region&measure=patients', 'by=year,region&measure=count',
        'by=stp,age_band&measure=crude_rate', 'by=imd_decile,sex&measure=patients', 'by=imd_decile,sex,year&measure=crude_rate',
        'region=wessex&by=month,sex', 'stp=E54000041&by=year,age_band&measure=patients', 'measure=patients',
        'from=2020-03&to=2021-02&by=region,age_band&measure=crude_rate',
      ];
      for (const q of queries) {
        const r = await both(`/api/demand?service=${service}&${q}&format=json`);
        expect(r.union, `${service} ${q}`).toEqual(r.single);
        expect((r.single.rows as unknown[]).length, `${service} ${q}`).toBeGreaterThan(0);
        compared++;
      }
    }
    expect(compared).toBe(SERVICE_CODES.length * 12 + SERVICE_CODES.filter(serviceHasBedDays).length);
    // The source run names the union: all five member runs.
    const one = await both('/api/demand?service=ae_attendance&by=region&format=json');
    expect((one.raw.union.meta as { sourceRunId: string }).sourceRunId).toBe(union.ctx.warehouse.runId);
    expect((one.raw.single.meta as { sourceRunId: string }).sourceRunId).toBe(single.ctx.warehouse.runId);
  });

  it('demand as CSV and Arrow: the same cells and header lines, apart from the source run', async () => {
    const p = '/api/demand?service=emergency_admission&by=month,region&measure=crude_rate';
    const fetchAs = (s: RunningServer, format: string) =>
      fetch(`${s.url}${p}&format=${format}`, { headers: { authorization: `Bearer ${TOKENS.planner}` } }).then(async (res) => {
        expect(res.status).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      });
    const [sc, uc] = await Promise.all([fetchAs(single, 'csv'), fetchAs(union, 'csv')]);
    expect(uc.toString('utf8').replace(union.ctx.warehouse.runId!, 'RUN')).toBe(sc.toString('utf8').replace(single.ctx.warehouse.runId!, 'RUN'));
    expect(uc.toString('utf8')).toContain(`# source run: ${union.ctx.warehouse.runId}`);
    const [sa, ua] = await Promise.all([fetchAs(single, 'arrow'), fetchAs(union, 'arrow')]);
    const [ts, tu] = [tableFromIPC(sa), tableFromIPC(ua)];
    expect(tu.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(ts.schema.fields.map((f) => `${f.name}:${String(f.type)}`));
    expect(tu.numRows).toBe(ts.numRows);
    expect(tu.toArray().map((r) => r.toJSON())).toEqual(ts.toArray().map((r) => r.toJSON()));
  });

  it('compare: areas, the deprivation gradient overall and in every region, with the benchmark of all five regions', async () => {
    for (const service of SERVICE_CODES) {
      const queries = ['', '&by=imd_decile', ...REGIONS.map((r) => `&by=imd_decile&region=${r.code}`), '&from=2021-01&to=2021-12'];
      for (const q of queries) {
        const r = await both(`/api/compare?service=${service}${q}&format=json`);
        expect(r.union, `${service} ${q}`).toEqual(r.single);
      }
    }
    const areas = await both('/api/compare?service=emergency_admission&format=json');
    const rows = areas.union.rows as { level: string; comparison: string }[];
    expect(rows.filter((x) => x.level === 'stp')).toHaveLength(STPS.length);
    expect((areas.union.meta as { benchmark_dsr: number }).benchmark_dsr).toBeGreaterThan(0);
  });

  it('forecast: every region family (region and STP series, with scenarios) equals the single warehouse\'s', async () => {
    const requests = [
      ...REGIONS.map((r) => `level=region&area=${r.code}&service=emergency_admission&horizon=12`),
      ...REGIONS.map((r) => `level=stp&area=${stpsOfRegion(r.code).at(-1)!.code}&service=emergency_admission&horizon=12&popGrowth=1.5&occupancy=0.9`),
      'level=region&area=one-london&service=ae_attendance&horizon=24',
    ];
    for (const q of requests) {
      const r = await both(`/api/forecast?${q}`);
      expect(r.union, q).toEqual(r.single);
      expect((r.single.forecast as unknown[]).length, q).toBeGreaterThan(0);
    }
  });

  it('meta: the same menus, period and counts; the run names the members, and each member is listed', async () => {
    for (const role of ['planner', 'researcher'] as const) {
      const r = await both('/api/meta', role);
      const { run: us, members, freshness: uf, ...uRest } = r.union as Record<string, Record<string, unknown>>;
      const { run: ss, freshness: sf, ...sRest } = r.single as Record<string, Record<string, unknown>>;
      expect(uRest).toEqual(sRest);
      expect(us!.counts, role).toEqual(ss!.counts);
      expect(us!.keyId).toBe(ss!.keyId);
      expect(us!.runId).toBe(union.ctx.warehouse.runId);
      expect(uf!.lastEventMonth).toBe(sf!.lastEventMonth);
      expect(r.single).not.toHaveProperty('members');
      expect((members as unknown as { regions: string[]; runId: string; period: unknown }[]).map((m) => [m.regions, m.runId, m.period])).toEqual(
        union.ctx.warehouse.members.map((m) => [[...m.regions], m.runId, single.ctx.warehouse.period]),
      );
    }
  });

  it('manifest: the totals of the single warehouse, and one section per member with its own manifest', async () => {
    const r = await both('/api/manifest');
    const u = r.union as Record<string, unknown> & { members: Record<string, unknown>[] };
    const s = r.single as Record<string, unknown>;
    for (const k of ['resources', 'tables', 'optOut', 'eventPartitions', 'period', 'keyId', 'schemaVersion', 'optOutPolicy', 'asOf', 'reference']) {
      const want = k === 'optOut' ? Object.fromEntries(Object.entries(s.optOut as object).filter(([, v]) => typeof v === 'number')) : s[k];
      expect(u[k], k).toEqual(want);
    }
    expect(u.forecasts).toEqual({ status: 'written', series: (s.forecasts as { series: number }).series, rows: (s.tables as { forecasts: number }).forecasts });
    expect(u.members.map((m) => m.label)).toEqual(REGIONS.map((x) => x.name));
    for (const [i, m] of u.members.entries()) {
      const own = union.ctx.warehouse.members[i]!;
      expect(m).toMatchObject({ regions: own.regions, runId: own.runId, keyId: own.keyId, finishedAt: own.finishedAt, period: s.period });
      expect(m.tables).toEqual(own.manifest.tables);
      // No server path in a member's section either.
      expect(JSON.stringify(m)).not.toContain(root);
    }
    expect(u.members.reduce((t, m) => t + (m.tables as { patients: number }).patients, 0)).toBe((s.tables as { patients: number }).patients);
    expect(JSON.stringify(u)).not.toContain(root);

    // Researchers: counts only, each member's under the disclosure rules on its own.
    const res = (await json(union, '/api/manifest', 'researcher')) as { counts: { disclosure: string }; members: { counts: { tables: { patients: number } } }[]; inputs?: unknown };
    expect(res.inputs).toBeUndefined();
    expect(res.counts).toEqual((await json(single, '/api/manifest', 'researcher')).counts);
    expect(res.members).toHaveLength(5);
    for (const m of res.members) expect(m.counts.tables.patients % 5).toBe(0);
  });

  it('research exports: the same disclosure-controlled tables, cell for cell', async () => {
    for (const measure of ['count', 'patients', 'crude_rate', 'dsr']) {
      const body = JSON.stringify({ service: 'emergency_admission', measure, from: '2021-01', to: '2022-12', by: ['region', 'sex'] });
      const [a, b] = await Promise.all([single, union].map(async (s) => {
        const res = await fetch(`${s.url}/api/exports`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.researcher}`, 'content-type': 'application/json' }, body });
        expect(res.status, measure).toBe(201);
        const created = (await res.json()) as { id: string; rows: number; suppressed: unknown };
        const table = await json(s, `/api/exports/${created.id}?format=json`, 'researcher');
        return { rows: created.rows, suppressed: created.suppressed, columns: table.columns, table: table.rows };
      }));
      expect(b, measure).toEqual(a);
      expect(a!.rows, measure).toBeGreaterThan(0);
    }
  });
});

describe('members built at different times', () => {
  it('serve the months every member covers, and show each member its own period', async () => {
    // Wessex rebuilt as of the end of March 2024: its later encounters are not in its record yet.
    const early = path.join(root, 'wh-wessex-early');
    const input = path.join(root, 'records', 'wessex');
    const r = await runPipeline({ input, warehouse: early, keyFile, optOut: path.join(input, 'national-data-opt-out.txt'), quarantine: `${early}.quarantine`, policy: 'research', threads: 2, memoryLimit: '1GB', asOf: '2024-03-31' });
    expect(r.manifest.period).toEqual({ from: '2019-07', to: '2024-03' });
    const s = await serve(REGIONS.map((x) => (x.code === 'wessex' ? early : memberDirs[x.code])), 'state-early');
    try {
      expect(s.ctx.warehouse.period).toEqual({ from: '2019-07', to: '2024-03' });
      const meta = await json(s, '/api/meta');
      expect(meta.period).toEqual({ from: '2019-07', to: '2024-03' });
      expect((meta.members as { regions: string[]; period: { to: string } }[]).map((m) => [m.regions[0], m.period.to])).toEqual(
        REGIONS.map((x) => [x.code, x.code === 'wessex' ? '2024-03' : '2024-06']),
      );
      // April to June 2024 would show Wessex at zero: not offered.
      const res = await fetch(`${s.url}/api/demand?service=ae_attendance&from=2024-04&to=2024-06&format=json`, { headers: { authorization: `Bearer ${TOKENS.planner}` } });
      expect(res.status).toBe(400);
      // Within the common months the other regions are as in the single warehouse.
      const q = '/api/demand?service=ae_attendance&from=2023-01&to=2024-03&by=month,region&format=json';
      const [a, b] = await Promise.all([json(single, q), json(s, q)]);
      expect(b.rows).toEqual(a.rows);
    } finally {
      await s.close();
    }
  });
});

describe('members that cannot be served as one are refused at start-up, in one line', () => {
  const refused = async (dirs: string[], pattern: RegExp) => {
    const err = await serve(dirs, `state-refused-${Math.random().toString(36).slice(2)}`).then(
      async (s) => {
        await s.close();
        return null;
      },
      (e: Error) => e,
    );
    expect(err, `${dirs.join(' ')} was served`).toBeInstanceOf(Error);
    expect(err!.message).toMatch(pattern);
    expect(err!.message).not.toContain('\n');
    return err!.message;
  };
  const copyOf = (region: RegionCode, name: string, edit: (dir: string) => void = () => {}) => {
    const dir = path.join(root, name);
    cpSync(memberDirs[region], dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const editManifest = (dir: string, change: Record<string, unknown>) => {
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...change }));
  };

  it('a region in two members (the whole warehouse beside a regional one)', async () => {
    const msg = await refused([whole, memberDirs.wessex], /^federation: region wessex is in two warehouses, /);
    expect(msg).toContain(whole);
    expect(msg).toContain(memberDirs.wessex);
  });

  it('the same folder twice, also through a symbolic link', async () => {
    await refused([memberDirs.wessex, memberDirs.wessex], /^federation: the same warehouse is given twice/);
    const link = path.join(root, 'link-to-wessex');
    symlinkSync(memberDirs.wessex, link);
    await refused([memberDirs.wessex, link], /^federation: the same warehouse is given twice/);
  });

  it('different schema versions or opt-out policies', async () => {
    const v2 = copyOf('wessex', 'wessex-v2', (d) => editManifest(d, { schemaVersion: 2 }));
    await refused([memberDirs['greater-manchester'], v2], /^federation: the warehouses have different schema versions: 1 \(.*greater-manchester\); 2 \(.*wessex-v2\); rebuild/);
    const all = copyOf('wessex', 'wessex-all', (d) => editManifest(d, { optOutPolicy: 'all' }));
    await refused([memberDirs['greater-manchester'], all], /^federation: the warehouses have different opt-out policies: research .*; all /);
  });

  it('a member without a table the others have, or with a table whose columns differ', async () => {
    const noAllowlist = copyOf('wessex', 'wessex-no-allowlist', (d) => rmSync(path.join(d, 'research_allowlist'), { recursive: true }));
    await refused([memberDirs['greater-manchester'], noAllowlist], /^federation: the warehouses have different research_allowlist\/ tables: present .*; missing .*wessex-no-allowlist/);
    // The patients table rewritten without a column.
    const otherColumns = copyOf('wessex', 'wessex-columns');
    const file = path.join(otherColumns, 'patients', 'data.parquet');
    const kept = path.join(root, 'wessex-patients.parquet');
    renameSync(file, kept);
    await duckdb(`COPY (SELECT * EXCLUDE (gp_practice) FROM read_parquet('${kept}')) TO '${file}' (FORMAT parquet)`);
    await refused([memberDirs['greater-manchester'], otherColumns], /^federation: the columns of patients\/ differ between /);
  });

  it('unreadable members: a missing folder, a truncated events partition', async () => {
    await refused([memberDirs['greater-manchester'], path.join(root, 'no-such-warehouse')], /^warehouse folder not found: .*no-such-warehouse$/);
    const cut = copyOf('wessex', 'wessex-cut', (d) => {
      const file = path.join(d, 'events', 'region=wessex', 'year=2021', 'data.parquet');
      truncateSync(file, Math.floor(statSync(file).size / 2));
    });
    await refused([memberDirs['greater-manchester'], cut], /^cannot read the events\/ Parquet files of .*wessex-cut: /);
  });

  it('the same patient in two members (a patient in both records: same pseudonym)', async () => {
    // Twenty Greater Manchester patients also in a "Wessex" record, living at a Wessex LSOA.
    const moved = path.join(root, 'records-moved');
    mkdirSync(moved);
    const wessexLsoa = loadLsoaPopulations().find((l) => l.region === 'wessex')!.lsoa11;
    const gmRecord = path.join(root, 'records', 'greater-manchester');
    const patients = readFileSync(path.join(gmRecord, 'Patient.000.ndjson'), 'utf8').split('\n').filter(Boolean).slice(0, 20);
    const ids = new Set(patients.map((l) => (JSON.parse(l) as { id: string }).id));
    writeFileSync(path.join(moved, 'Patient.000.ndjson'), patients.map((l) => l.replace(/"valueCode":"E0\d+"/, `"valueCode":"${wessexLsoa}"`)).join('\n') + '\n');
    const encounters = readFileSync(path.join(gmRecord, 'Encounter.000.ndjson'), 'utf8').split('\n').filter((l) => ids.has(/"reference":"Patient\/([^"]+)"/.exec(l)?.[1] ?? ''));
    writeFileSync(path.join(moved, 'Encounter.000.ndjson'), encounters.join('\n') + '\n');
    writeFileSync(path.join(moved, 'national-data-opt-out.txt'), '');
    const wh = path.join(root, 'wh-moved');
    await build(moved, wh);
    await refused([memberDirs['greater-manchester'], wh], /^federation: 20 patient pseudonyms are in more than one warehouse/);
    // With a key of its own the pseudonyms differ: the union is served (and that patient counted twice, as two people).
    const otherKey = path.join(root, 'other-key');
    writeFileSync(otherKey, randomBytes(32).toString('hex'), { mode: 0o600 });
    const wh2 = path.join(root, 'wh-moved-other-key');
    const r = await runPipeline({ input: moved, warehouse: wh2, keyFile: otherKey, optOut: path.join(moved, 'national-data-opt-out.txt'), quarantine: `${wh2}.quarantine`, policy: 'research', threads: 2, memoryLimit: '1GB', asOf: AS_OF });
    expect(r.status).toBe('published');
    const s = await serve([memberDirs['greater-manchester'], wh2], 'state-other-key');
    try {
      expect(s.ctx.warehouse.keyId).toBeNull();
      expect(s.ctx.warehouse.members.map((m) => m.keyId)).toEqual([single.ctx.warehouse.keyId, r.manifest.keyId]);
    } finally {
      await s.close();
    }
  });
});

describe('npm run serve with --warehouse repeated', () => {
  const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
  const cli = path.join(REPO_ROOT, 'server/cli.ts');
  let auth: string;
  beforeAll(() => {
    auth = path.join(root, 'auth.json');
    writeFileSync(auth, JSON.stringify({ users: [{ name: 'p', role: 'planner', tokenHash: tokenHash(TOKENS.planner) }] }));
  });

  it('serves the union of the folders given', async () => {
    const args = [cli, ...REGIONS.flatMap((r) => ['--warehouse', memberDirs[r.code]]), '--auth-config', auth, '--port', '0', '--no-client', '--state-dir', path.join(root, 'state-cli')];
    const child = spawn(tsx, args, { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      expect(out).toMatch(/^Serving the union of 5 warehouses \(2019-07 to 2024-06, the months all of them cover\)/);
      for (const r of REGIONS) expect(out).toContain(`  ${r.name}: ${memberDirs[r.code]} (run `);
      const meta = (await (await fetch(`${url}/api/meta`, { headers: { authorization: `Bearer ${TOKENS.planner}` } })).json()) as { run: { runId: string }; members: unknown[] };
      expect(meta.run.runId).toBe(union.ctx.warehouse.runId);
      expect(meta.members).toHaveLength(5);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses overlapping members with exit 1 and a one-line error', () => {
    const r = spawnSync(tsx, [cli, '--warehouse', whole, '--warehouse', memberDirs['one-london'], '--auth-config', auth, '--port', '0', '--no-client', '--state-dir', path.join(root, 'state-cli-2')], {
      cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: federation: region one-london is in two warehouses, ${whole} and ${memberDirs['one-london']}; each region may be served from one only\n`);
  });
});

async function duckdb(sql: string): Promise<void> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    await c.run(sql);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}
