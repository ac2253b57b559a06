/**
 * The build step's batch forecasts: every region and STP x service series, written to
 * `forecasts/` by `forecast/warehouse.ts`. A failure is recorded in the manifest
 * (`forecasts: failed`, with the reason) and the rest of the warehouse is still published: the
 * dashboard computes forecasts on demand from the rollups, so the warehouse is usable without them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeWarehouseForecasts } from '../../forecast/warehouse.ts';

export type ForecastOutcome =
  | { status: 'written'; series: number; rows: number }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string };

export async function runForecastHook(outDir: string, rollupEvents: number): Promise<ForecastOutcome> {
  if (rollupEvents === 0) return { status: 'skipped', reason: 'no events to forecast' };
  try {
    const out = path.join(outDir, 'forecasts', 'data.parquet');
    mkdirSync(path.dirname(out), { recursive: true });
    const { series, rows } = await writeWarehouseForecasts(path.join(outDir, 'rollups', 'data.parquet'), out);
    return { status: 'written', series, rows };
  } catch (e) {
    return { status: 'failed', reason: (e as Error).message.split('\n')[0] ?? 'unknown error' };
  }
}
