import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../server/db.ts';
import { loadQueryRegistry, type QueryRegistry } from '../../server/queries/registry.ts';
import { dimensionSlots, DIMENSION_NAMES, type Dimension } from '../../server/queries/dimensions.ts';
import { openWarehouse } from '../../server/store/open-warehouse.ts';
import { SQL_DIR } from '../../server/start.ts';
import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';
import { tempDir } from './helpers.ts';

const MY_AREAS = ['demand', 'compare', 'meta'];
let dir: string;
let db: Db;
let queries: QueryRegistry;

beforeAll(async () => {
  dir = tempDir('lhcre-sql-');
  await buildFixtureWarehouse(path.join(dir, 'wh'));
  db = await Db.open({ threads: 1 });
  queries = await loadQueryRegistry(SQL_DIR);
  await openWarehouse(db, queries, path.join(dir, 'wh'));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = { service: 'emergency_admission', from: '2019-01-01', to: '2020-12-01', region: null, stp: null };

describe('every query in sql/demand, sql/compare, sql/meta', () => {
  it('has a params schema beside it and runs against the fixture warehouse', async () => {
    const ids = queries.ids().filter((id) => MY_AREAS.includes(id.split('/')[0]!));
    expect(ids.sort()).toEqual(['compare/areas_by_age', 'compare/imd_by_age', 'demand/distinct_patients_from_events', 'demand/from_rollups', 'meta/period']);
    for (const id of ids) {
      const def = queries.get(id);
      expect(def.params, `${id} schema`).not.toBeNull();
      const slots = def.slots.length ? dimensionSlots(['month', 'stp']) : {};
      const names = Object.keys((def.params as unknown as { shape: Record<string, unknown> }).shape);
      const params = Object.fromEntries(names.map((n) => [n, (all as Record<string, unknown>)[n] ?? null])) as Record<string, string | null>;
      const q = queries.prepare(id, params, Object.fromEntries(Object.entries(slots).filter(([k]) => def.slots.includes(k))));
      const rows = await db.queryRows(q.sql, q.params);
      expect(rows.length, id).toBeGreaterThan(0);
    }
  });

  it('demand/from_rollups runs for every single dimension and for none', async () => {
    for (const dims of [[], ...DIMENSION_NAMES.map((d) => [d])] as Dimension[][]) {
      const q = queries.prepare('demand/from_rollups', all, dimensionSlots(dims));
      const rows = await db.queryRows(q.sql, q.params);
      const total = rows.reduce((s, r) => s + Number(r.count), 0);
      // 168 GM + 12 Hampshire + 36 Dorset emergency admissions over the two years.
      expect(total, dims.join(',') || 'none').toBe(216);
    }
  });
});

describe('golden values on the fixture (worked by hand in build-fixture.ts)', () => {
  it('counts, bed days and person-years by year for Greater Manchester', async () => {
    const q = queries.prepare('demand/from_rollups', { ...all, region: 'greater-manchester' }, dimensionSlots(['year']));
    const rows = await db.queryRows(q.sql, q.params);
    // 7 events a month; bed days 3 + 20 a month; population 1000+200 (2019), 1200+200 (2020).
    expect(rows).toEqual([
      { year: 2019, count: 84, patients: 72, bed_days: 276, person_years: 1200 },
      { year: 2020, count: 84, patients: 72, bed_days: 276, person_years: 1400 },
    ]);
  });

  it('person-years weight each month by 1/12 across years (2019-07 .. 2020-06)', async () => {
    const q = queries.prepare('demand/from_rollups', { ...all, from: '2019-07-01', to: '2020-06-01', stp: 'E54000007' }, dimensionSlots([]));
    const [row] = await db.queryRows(q.sql, q.params);
    expect(row!.count).toBe(84);
    expect(row!.person_years).toBeCloseTo(1200 * 6 / 12 + 1400 * 6 / 12, 9);
  });

  it('zero-fills cells with a population but no activity (Dorset 2019)', async () => {
    const q = queries.prepare('demand/from_rollups', { ...all, stp: 'E54000041' }, dimensionSlots(['year']));
    const rows = await db.queryRows(q.sql, q.params);
    expect(rows.map((r) => [r.year, r.count, r.person_years])).toEqual([[2019, 0, 450], [2020, 36, 450]]);
  });

  it('distinct patients over a year come from events, not summed months', async () => {
    const q = queries.prepare('demand/distinct_patients_from_events', { ...all, region: 'wessex' }, dimensionSlots(['year']));
    const rows = await db.queryRows(q.sql, q.params);
    // 2019: pid 20; 2020: pids 20, 30, 31, 32.
    expect(rows).toEqual([{ year: 2019, patients: 1 }, { year: 2020, patients: 4 }]);
  });

  it('compare/areas_by_age gives events and person-years per STP and band', async () => {
    const q = queries.prepare('compare/areas_by_age', { service: 'emergency_admission', from: '2019-01-01', to: '2020-12-01' });
    const rows = await db.queryRows(q.sql, q.params);
    expect(rows).toContainEqual({ region: 'greater-manchester', stp_code: 'E54000007', age_band: '0-4', count: 48, person_years: 2200 });
    expect(rows).toContainEqual({ region: 'wessex', stp_code: 'E54000041', age_band: '0-4', count: 0, person_years: 600 });
    expect(rows).toHaveLength(6);
  });

  it('compare/imd_by_age restricts to a region', async () => {
    const q = queries.prepare('compare/imd_by_age', { service: 'emergency_admission', from: '2019-01-01', to: '2020-12-01', region: 'wessex' });
    const rows = await db.queryRows(q.sql, q.params);
    expect(rows).toEqual([
      { imd_decile: 10, age_band: '0-4', count: 12, person_years: 1800 },
      { imd_decile: 10, age_band: '85-89', count: 36, person_years: 500 },
    ]);
  });

  it('meta/period reads the months and population years', async () => {
    const q = queries.prepare('meta/period', {});
    expect(await db.queryRows(q.sql, q.params)).toEqual([{ first_month: '2019-01-01', last_month: '2020-12-01', first_population_year: 2019, last_population_year: 2020 }]);
  });
});

describe('the tables without the IMD decile (rollups_by_area, population_by_area)', () => {
  it('hold the same sums as rollups and population, per service, month, STP, age band and sex', async () => {
    const diff = await db.queryRows(`
      WITH a AS (SELECT month, stp_code, service, age_band, sex, sum(events) e, sum(patients) p, sum(bed_days) b FROM rollups GROUP BY ALL),
           d AS (SELECT month, stp_code, service, age_band, sex, events e, patients p, bed_days b FROM rollups_by_area)
      SELECT count(*) AS n FROM a FULL JOIN d USING (month, stp_code, service, age_band, sex)
      WHERE a.e IS DISTINCT FROM d.e OR a.p IS DISTINCT FROM d.p OR a.b IS DISTINCT FROM d.b`);
    expect(diff).toEqual([{ n: 0 }]);
    const pop = await db.queryRows(`
      SELECT (SELECT sum(population) FROM population) AS all_pop, (SELECT sum(population) FROM population_by_area) AS area_pop,
             (SELECT count(*) FROM rollups) AS rollup_rows, (SELECT count(*) FROM rollups_by_area) AS area_rows`);
    expect(Number(pop[0]!.area_pop)).toBe(Number(pop[0]!.all_pop));
    expect(Number(pop[0]!.area_rows)).toBeGreaterThan(0);
    // The fixture has one decile per cell, so no fewer rows here; at scale about a tenth.
    expect(Number(pop[0]!.area_rows)).toBeLessThanOrEqual(Number(pop[0]!.rollup_rows));
  });

  it('serve every grouping without the decile, and the decile groupings read the full tables', () => {
    expect(queries.prepare('demand/from_rollups', all, dimensionSlots(['month', 'sex'])).sql).toMatch(/FROM rollups_by_area\b/);
    const imd = queries.prepare('demand/from_rollups', all, dimensionSlots(['imd_decile'])).sql;
    expect(imd).toMatch(/FROM rollups\b/);
    expect(imd).toMatch(/FROM population\b/);
    expect(imd).not.toMatch(/FROM \w+_by_area/);
  });
});

describe('query registry', () => {
  it('rejects unknown ids, unfilled slots and params outside the schema', () => {
    expect(() => queries.get('demand/nope')).toThrow(/no query 'demand\/nope'/);
    expect(() => queries.prepare('demand/from_rollups', all)).toThrow(/slot \{\{\w+\}\} not filled/);
    expect(() => queries.prepare('demand/from_rollups', { ...all, service: "x' OR 1=1 --" }, dimensionSlots([]))).toThrow();
    expect(() => queries.prepare('demand/from_rollups', { ...all, extra: 1 }, dimensionSlots([]))).toThrow();
    expect(() => dimensionSlots(['month; DROP TABLE x' as Dimension])).toThrow(/not an allowed dimension/);
  });

  it('binds values, never splices them: a quote in a value is just data', async () => {
    const rows = await db.queryRows('SELECT count(*) AS n FROM rollups WHERE service = $s', { s: "x' OR '1'='1" });
    expect(rows).toEqual([{ n: 0 }]);
  });
});
