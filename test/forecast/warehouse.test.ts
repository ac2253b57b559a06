import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STPS } from '../../domain/geography.ts';
import { writeWarehouseForecasts } from '../../forecast/warehouse.ts';
import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';

let dir = '';
let first = { series: 0, rows: 0 };
const out = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'forecast-wh-'));
  await buildFixtureWarehouse(path.join(dir, 'wh'));
  first = await writeWarehouseForecasts(path.join(dir, 'wh', 'rollups', 'data.parquet'), out('a.parquet'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  try {
    return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}

describe('writeWarehouseForecasts', () => {
  it('writes every region and STP x service with the README columns', async () => {
    expect(first.series).toBe((5 + STPS.length) * 6);
    const cols = await query(`DESCRIBE SELECT * FROM read_parquet('${out('a.parquet')}')`);
    expect(cols.map((c) => `${c.column_name}:${c.column_type}`)).toEqual([
      'level:VARCHAR', 'area_code:VARCHAR', 'service:VARCHAR', 'month:DATE', 'kind:VARCHAR',
      'value:DOUBLE', 'lo80:DOUBLE', 'hi80:DOUBLE', 'lo95:DOUBLE', 'hi95:DOUBLE', 'method:VARCHAR',
    ]);
    const [count] = await query(`SELECT count(*)::INTEGER AS n, count(DISTINCT (level, area_code, service))::INTEGER AS s FROM read_parquet('${out('a.parquet')}')`);
    expect(count).toEqual({ n: first.rows, s: first.series });
  });

  it('history matches the rollups and intervals appear only on forecast rows', async () => {
    const [gm] = await query(`SELECT sum(value)::DOUBLE AS v FROM read_parquet('${out('a.parquet')}') WHERE level = 'region' AND area_code = 'greater-manchester' AND service = 'emergency_admission' AND kind = 'history'`);
    expect(gm!.v).toBe(7 * 24); // fixture: 2 + 5 admissions a month for 24 months
    const [bad] = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet('${out('a.parquet')}') WHERE (kind = 'forecast') <> (lo95 IS NOT NULL)`);
    expect(bad!.n).toBe(0);
  });

  it('STP forecasts add up exactly to their region', async () => {
    const rows = await query(`
      WITH f AS (SELECT * FROM read_parquet('${out('a.parquet')}') WHERE kind = 'forecast'),
      stp AS (SELECT m.region, f.service, f.month, sum(f.value) AS v FROM f JOIN (VALUES ${STPS.map((s) => `('${s.code}', '${s.region}')`).join(',')}) m(code, region) ON f.area_code = m.code WHERE f.level = 'stp' GROUP BY ALL)
      SELECT count(*)::INTEGER AS n, max(abs(r.value - stp.v))::DOUBLE AS worst FROM f r JOIN stp ON r.level = 'region' AND r.area_code = stp.region AND r.service = stp.service AND r.month = stp.month`);
    expect(rows[0]!.n).toBe(5 * 6 * 24);
    // SQL sums in its own order, so allow last-bit differences here; the exact identity is
    // tested on the reconciler itself.
    expect(rows[0]!.worst as number).toBeLessThan(1e-9);
  });

  it('is deterministic: the same rollups give the same bytes', async () => {
    await writeWarehouseForecasts(path.join(dir, 'wh', 'rollups', 'data.parquet'), out('b.parquet'));
    expect(readFileSync(out('b.parquet')).equals(readFileSync(out('a.parquet')))).toBe(true);
  });
});
