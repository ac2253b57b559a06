/**
 * From the loaded, pseudonymised records (the ingest run's `patients_loaded` table and its staged
 * event partitions) to the warehouse tables of README's schema version 1, written into `outDir`
 * (the run's temporary folder).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sqlString, type PipelineDb } from '../ingest/db.ts';
import { countStagedEvents, eventPartitionJobs, stagedPartitions, type WriteJob } from './events.ts';
import { runForecastHook, type ForecastOutcome } from './forecasts-hook.ts';
import { createVisiblePatients, writeAllowlist, writePatients, type OptOutPolicy } from './patients.ts';
import { writePopulation } from './population.ts';
import { writeRollups } from './rollups.ts';
import { writeAreaTables } from './area-tables.ts';

export interface BuildResult {
  tables: {
    patients: number; events: number; research_allowlist: number; population: number; rollups: number;
    rollups_by_area: number; population_by_area: number; forecasts: number;
  };
  eventPartitions: number;
  period: { from: string; to: string } | null;
  excludedByOptOut: { patients: number; events: number };
  forecasts: ForecastOutcome;
  timingsSeconds: Record<string, number>;
}

export interface StagedEvents {
  /** `<staging>/events` (encounter-files.ts). */
  eventsDir: string;
  /** A scratch folder for the rollup parts. */
  scratchDir: string;
  /** Loaded events (duplicates removed), before the opt-out policy. */
  loaded: number;
  /** Whether `encounter_dups` has rows. */
  dups: boolean;
}

export interface BuildProgress {
  stage(message: string): void;
  /** The partitions to write (before the first starts). */
  partitions?(total: number): void;
  /** A partition's events and rollups are written. */
  partitionDone?(name: string, rows: number, total: number): void;
}

export async function buildWarehouse(
  db: PipelineDb,
  outDir: string,
  staged: StagedEvents,
  o: { policy: OptOutPolicy; concurrency: number },
  report: BuildProgress = { stage: () => {} },
): Promise<BuildResult> {
  const t0 = performance.now();
  const seconds = (from: number) => Math.round(performance.now() - from) / 1000;
  report.stage('writing tables');
  await createVisiblePatients(db, o.policy);
  const excludedPatients = o.policy === 'all' ? Number(await db.scalar<bigint>('visible patients', 'SELECT count(*) FROM patients_loaded WHERE NOT research')) : 0;
  const parts = stagedPartitions(staged.eventsDir, { policy: o.policy, dups: staged.dups });
  const events = o.policy === 'all' ? await countStagedEvents(db, parts) : staged.loaded;
  const excludedEvents = staged.loaded - events;
  mkdirSync(path.join(outDir, 'events'), { recursive: true }); // present (empty) for a record without events
  const rollupParts = path.join(staged.scratchDir, 'rollup-parts');
  mkdirSync(rollupParts, { recursive: true });
  const partitions = eventPartitionJobs(parts, outDir, rollupParts);
  const rows: Record<string, number> = {};
  let partitionsDone = 0;
  report.partitions?.(partitions.length);
  const jobs: WriteJob[] = [
    { name: 'patients', weight: 0, run: (c) => writePatients(c, outDir) },
    { name: 'research_allowlist', weight: 0, run: (c) => writeAllowlist(c, outDir) },
    ...partitions,
  ];
  await runPool(db, jobs, o.concurrency, (name, n) => {
    rows[name] = n;
    if (name.startsWith('events ')) report.partitionDone?.(name, n, partitions.length - ++partitionsDone);
  });
  rows['rollups'] = await writeRollups(db, rollupParts, outDir, readdirSync(rollupParts).length > 0);
  // The period is the months with events (of the events kept, under either policy).
  const [range] = await db.rows<{ from: string | null; to: string | null }>(
    'period',
    `SELECT strftime(min(month), '%Y-%m') AS "from", strftime(max(month), '%Y-%m') AS "to" FROM read_parquet(${sqlString(path.join(outDir, 'rollups', 'data.parquet'))})`,
  );
  const period = range?.from && range.to ? { from: range.from, to: range.to } : null;
  // Without events there is no period: an empty population table (with its schema) is still written.
  const [fromYear, toYear] = period ? [Number(period.from.slice(0, 4)), Number(period.to.slice(0, 4))] : [1, 0];
  rows['population'] = await writePopulation(db, outDir, fromYear, toYear);
  const area = await writeAreaTables(db, outDir);
  const tablesSeconds = seconds(t0);
  report.stage('forecasts');
  const t1 = performance.now();
  const forecasts = await runForecastHook(outDir, events);
  const eventRows = partitions.reduce((s, p) => s + rows[p.name]!, 0);
  if (eventRows !== events) throw new Error(`events: ${events} loaded but ${eventRows} written`);
  return {
    tables: {
      patients: rows['patients']!,
      events,
      research_allowlist: rows['research_allowlist']!,
      population: rows['population']!,
      rollups: rows['rollups']!,
      rollups_by_area: area.rollups_by_area,
      population_by_area: area.population_by_area,
      forecasts: forecasts.status === 'written' ? forecasts.rows : 0,
    },
    eventPartitions: partitions.length,
    period,
    excludedByOptOut: { patients: excludedPatients, events: excludedEvents },
    forecasts,
    timingsSeconds: { build_tables: tablesSeconds, build_forecasts: seconds(t1) },
  };
}

/** Runs the write jobs `concurrency` at a time, each on its own connection, biggest first. */
async function runPool(db: PipelineDb, jobs: WriteJob[], concurrency: number, done: (name: string, rows: number) => void): Promise<void> {
  const queue = [...jobs].sort((a, b) => b.weight - a.weight);
  const conns = await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, () => db.fork()));
  try {
    await Promise.all(
      conns.map(async (c) => {
        for (let job = queue.shift(); job; job = queue.shift()) done(job.name, await job.run(c));
      }),
    );
  } finally {
    for (const c of conns) c.close();
  }
}
