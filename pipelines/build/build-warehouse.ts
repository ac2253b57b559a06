/**
 * From the loaded, pseudonymised records (temp tables of the ingest run) to the warehouse tables
 * of README's schema version 1, written into `outDir` (the run's temporary folder).
 */
import type { PipelineDb } from '../ingest/db.ts';
import { createEventsTable, writeEvents } from './events.ts';
import { runForecastHook, type ForecastOutcome } from './forecasts-hook.ts';
import { createVisiblePatients, writePatients, type OptOutPolicy } from './patients.ts';
import { writePopulation } from './population.ts';
import { writeRollups } from './rollups.ts';

export interface BuildResult {
  tables: { patients: number; events: number; research_allowlist: number; population: number; rollups: number; forecasts: number };
  eventPartitions: number;
  period: { from: string; to: string } | null;
  excludedByOptOut: { patients: number; events: number };
  forecasts: ForecastOutcome;
  timingsSeconds: Record<string, number>;
}

export async function buildWarehouse(db: PipelineDb, outDir: string, policy: OptOutPolicy, report: (stage: string) => void = () => {}): Promise<BuildResult> {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  let current = '';
  const log = (stage: string) => {
    if (current) timings[`build_${current}`] = Math.round(performance.now() - t0) / 1000;
    t0 = performance.now();
    current = stage;
    if (stage) report(stage);
  };
  await createVisiblePatients(db, policy);
  const excludedPatients = policy === 'all' ? Number(await db.scalar<bigint>('visible patients', 'SELECT count(*) FROM patients_loaded WHERE NOT research')) : 0;
  log('patients');
  const { patients, research_allowlist } = await writePatients(db, outDir);
  log('events_table');
  const { excludedByOptOut: excludedEvents } = await createEventsTable(db, policy);
  log('events');
  const { rows: events, partitions } = await writeEvents(db, outDir);
  const [range] = await db.rows<{ from: string | null; to: string | null }>(
    'period',
    `SELECT strftime(min(month), '%Y-%m') AS "from", strftime(max(month), '%Y-%m') AS "to" FROM events_out`,
  );
  const period = range?.from && range.to ? { from: range.from, to: range.to } : null;
  log('population');
  // Without events there is no period: an empty table (with its schema) is still written.
  const population = period ? await writePopulation(db, outDir, Number(period.from.slice(0, 4)), Number(period.to.slice(0, 4))) : await writePopulation(db, outDir, 1, 0);
  log('rollups');
  const rollups = await writeRollups(db, outDir);
  log('forecasts');
  const forecasts = await runForecastHook(outDir, events);
  log('');
  return {
    tables: { patients, events, research_allowlist, population, rollups, forecasts: forecasts.status === 'written' ? forecasts.rows : 0 },
    eventPartitions: partitions,
    period,
    excludedByOptOut: { patients: excludedPatients, events: excludedEvents },
    forecasts,
    timingsSeconds: timings,
  };
}
