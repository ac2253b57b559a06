import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, dateValue, type DuckDBAppender } from '@duckdb/node-api';
import { REGIONS, type RegionCode } from '../domain/geography.ts';
import { SERVICE_CODES } from '../domain/services.ts';
import { monthOf } from './core/months.ts';
import { buildFamily, forecastFamily, type MonthlyCell } from './family.ts';
import type { SeriesForecast } from './forecast-series.ts';

/**
 * Batch forecasts for the warehouse `forecasts` table (README schema): every region and STP x
 * service, automatic method choice, 24 months ahead, STPs reconciled to their region. Uses its
 * own single-threaded DuckDB so the Parquet bytes are the same for the same rollups.
 */
export const BATCH_HORIZON = 24;
const SQL_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sql/forecast/all_series.sql');

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export async function writeWarehouseForecasts(rollupsParquet: string, outParquet: string): Promise<{ series: number; rows: number }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const con = await instance.connect();
  try {
    await con.run("SET TimeZone = 'UTC'");
    // The path comes from the pipeline (trusted), not from a request; quoted as a SQL literal.
    await con.run(`CREATE VIEW rollups AS SELECT * FROM read_parquet(${sqlString(rollupsParquet)})`);
    const rows = (await con.runAndReadAll(readFileSync(SQL_FILE, 'utf8'))).getRowObjectsJS();
    const cells = rows.map((r) => ({ region: String(r.region), stp: String(r.stp_code), service: String(r.service), month: monthOf(String(r.month)), events: Number(r.events) }));
    if (!cells.length) throw new Error('rollups are empty');
    const start = Math.min(...cells.map((c) => c.month));
    const end = Math.max(...cells.map((c) => c.month));
    await con.run(`CREATE TABLE forecasts (level VARCHAR, area_code VARCHAR, service VARCHAR, month DATE, kind VARCHAR,
      value DOUBLE, lo80 DOUBLE, hi80 DOUBLE, lo95 DOUBLE, hi95 DOUBLE, method VARCHAR)`);
    const appender = await con.createAppender('forecasts');
    let series = 0;
    let written = 0;
    for (const region of REGIONS.map((r) => r.code as RegionCode)) {
      for (const service of SERVICE_CODES) {
        const mine: MonthlyCell[] = cells.filter((c) => c.region === region && c.service === service);
        const fam = forecastFamily(buildFamily(region, mine, start, end), { horizon: BATCH_HORIZON });
        written += appendSeries(appender, 'region', region, service, fam.region);
        series++;
        for (const [code, f] of fam.stps) {
          written += appendSeries(appender, 'stp', code, service, f);
          series++;
        }
      }
    }
    appender.flushSync();
    appender.closeSync();
    mkdirSync(path.dirname(outParquet), { recursive: true });
    await con.run(`COPY (SELECT * FROM forecasts ORDER BY level, area_code, service, month, kind) TO ${sqlString(outParquet)} (FORMAT parquet, COMPRESSION zstd)`);
    return { series, rows: written };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

function appendSeries(a: DuckDBAppender, level: string, area: string, service: string, f: SeriesForecast): number {
  const method = `${f.method}: ${f.detail} (reconciled region/STP)`;
  let n = 0;
  const row = (period: number, kind: string, value: number | null, bands: [number, number, number, number] | null): void => {
    a.appendVarchar(level);
    a.appendVarchar(area);
    a.appendVarchar(service);
    const y = Math.floor(period / 12);
    a.appendDate(dateValue({ year: y, month: period - y * 12 + 1, day: 1 }));
    a.appendVarchar(kind);
    if (value === null) a.appendNull(); else a.appendDouble(value);
    for (const b of bands ?? [null, null, null, null]) if (b === null) a.appendNull(); else a.appendDouble(b);
    a.appendVarchar(method);
    a.endRow();
    n++;
  };
  for (const h of f.history) row(h.period, 'history', h.value, null);
  for (const p of f.fitted) row(p.period, 'fitted', p.value, null);
  for (const p of f.forecast) row(p.period, 'forecast', p.value, [p.lo80, p.hi80, p.lo95, p.hi95]);
  return n;
}
