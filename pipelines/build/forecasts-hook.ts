/**
 * HOOK for the forecasting helper: `forecast/warehouse.ts` exports
 * `writeWarehouseForecasts(rollupsParquet, outParquet): Promise<{ series: number; rows: number }>`.
 * It is imported only if the file exists, so the pipeline runs before (and without) it; a missing
 * module or a failure is recorded in the manifest, and the rest of the warehouse is still published.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../domain/reference-data.ts';

export type ForecastOutcome =
  | { status: 'written'; series: number; rows: number }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string };

type WriteForecasts = (rollupsParquet: string, outParquet: string) => Promise<{ series: number; rows: number }>;

export const FORECAST_MODULE = path.join(repoRoot, 'forecast', 'warehouse.ts');

export async function runForecastHook(outDir: string, rollupEvents: number, moduleFile = FORECAST_MODULE): Promise<ForecastOutcome> {
  if (!existsSync(moduleFile)) return { status: 'skipped', reason: 'forecast/warehouse.ts is not there yet' };
  if (rollupEvents === 0) return { status: 'skipped', reason: 'no events to forecast' };
  try {
    const mod = (await import(pathToFileURL(moduleFile).href)) as { writeWarehouseForecasts?: WriteForecasts };
    if (typeof mod.writeWarehouseForecasts !== 'function') return { status: 'skipped', reason: 'forecast/warehouse.ts has no writeWarehouseForecasts export' };
    const out = path.join(outDir, 'forecasts', 'data.parquet');
    mkdirSync(path.dirname(out), { recursive: true });
    const { series, rows } = await mod.writeWarehouseForecasts(path.join(outDir, 'rollups', 'data.parquet'), out);
    return { status: 'written', series, rows };
  } catch (e) {
    return { status: 'failed', reason: (e as Error).message.split('\n')[0] ?? 'unknown error' };
  }
}
