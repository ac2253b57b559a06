/**
 * The ingest + build run, start to finish: fingerprint the inputs, skip if nothing changed, stage
 * and validate every record in DuckDB, pseudonymise, apply the opt-out, build the warehouse in a
 * temporary folder, write quarantine and manifest, and publish atomically.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildWarehouse } from '../build/build-warehouse.ts';
import { checkDisk, diskNeeds, estimateInputs, parseSize } from './disk-preflight.ts';
import { countEncounters, createEncounterRejected, findDuplicateEncounters } from './encounter-duplicates.ts';
import { createEncounterRejects, encounterStaging, processEncounterFiles } from './encounter-files.ts';
import type { OptOutPolicy } from '../build/patients.ts';
import { countResources, type ResourceCounts } from './counts.ts';
import { PipelineDb } from './db.ts';
import { EXIT_USAGE, PipelineError } from './errors.ts';
import { consumedType, countLines, discoverInputs, inputScans, sha256OfFile, type InputFile } from './inputs.ts';
import { loadKey } from './key.ts';
import { acquireLock } from './lock.ts';
import { DEFAULT_LSOA_REFERENCE, loadLsoaReference } from './lsoa-reference.ts';
import { assertReconciles, codeHash, codeVersion, runIdOf, SCHEMA_VERSION, type Manifest } from './manifest.ts';
import { prevDir, publish, recoverInterruptedPublish, tmpDir } from './publish.ts';
import { applyOptOut, pseudonymisePatients } from './pseudonymise.ts';
import { writeQuarantine } from './quarantine.ts';
import { isWithin, realPathOf } from './real-path.ts';
import { RESOURCE_TYPES, type ResourceType } from './reasons.ts';
import { finalConditionsSql } from './condition-sql.ts';
import { finalPatientsSql } from './patient-sql.ts';
import { DEFAULT_SERVICE_MAPPING, loadServiceMapping, readServiceMapping } from './service-mapping.ts';
import { createStageTables, stageAll } from './stage.ts';

export interface PipelineOptions {
  input: string;
  warehouse: string;
  keyFile: string;
  optOut: string;
  quarantine: string;
  policy: OptOutPolicy;
  threads: number;
  memoryLimit: string;
  /** Where the staged encounters and DuckDB's spill go (a private subfolder); default beside the warehouse. */
  tempDir?: string | undefined;
  /** Bound on DuckDB's spill (`max_temp_directory_size`), e.g. '16GB'; default 16GB. */
  maxTempSize?: string | undefined;
  /** YYYY-MM-DD: events after it are `event_in_future`. */
  asOf: string;
  /** Rebuild even when inputs, key and code are unchanged. */
  force?: boolean;
  serviceMapping?: string;
  lsoaReference?: string;
}

export interface Reporter {
  stage(message: string): void;
  /** A stage with a known amount of work: `total` units (`unit`: bytes of input, partitions, ...). */
  begin?(name: string, total: number, unit: string): void;
  /** `units` more of the current stage's work done, holding `records` records; `label` says what. */
  advance?(units: number, records: number, label: string): void;
}

/** Test seams: simulate a crash at a point of the run. */
export interface RunHooks {
  afterBuild?: (tmp: string) => void;
  beforeSwap?: () => void;
}

export type PipelineResult = { status: 'up-to-date'; runId: string; manifest: Manifest } | { status: 'published'; manifest: Manifest };

const silent: Reporter = { stage: () => {} };

function readManifest(warehouse: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/**
 * Why the quarantine may not go where it was asked to, or null. Compared by real paths (symlinks
 * resolved), since the rejects hold identifiers: inside the warehouse they would be published with
 * it (and deleted by the next publish); containing it, the warehouse would be made owner-only with
 * the quarantine; in the warehouse's side folders (`.prev`, `.tmp-*`, `.spill-*`) they would be
 * deleted with those.
 */
function quarantinePlaceProblem(quarantine: string, warehouse: string): string | null {
  if (isWithin(quarantine, warehouse)) return 'must be outside the warehouse';
  if (isWithin(warehouse, quarantine)) return 'must not contain the warehouse';
  const rel = path.relative(path.dirname(warehouse), quarantine);
  const first = rel.split(path.sep)[0]!;
  const base = path.basename(warehouse);
  if (first === path.basename(prevDir(warehouse)) || first.startsWith(`${base}.tmp-`) || first.startsWith(`${base}.spill-`)) {
    return `must be outside the warehouse's side folders (${base}.prev, ${base}.tmp-*, ${base}.spill-*)`;
  }
  return null;
}

/**
 * Creates `dir` (and its parents) if needed and makes it owner-only (0700) whatever the umask,
 * also when it existed with looser permissions; refuses (exit 2) when that cannot be done.
 */
function makePrivateDir(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new PipelineError(`cannot make the ${what} ${dir} a private folder (mode 700): ${code}`, EXIT_USAGE, { cause: e });
  }
  const st = statSync(dir);
  if (!st.isDirectory() || (st.mode & 0o777) !== 0o700) {
    throw new PipelineError(`the ${what} ${dir} is not a private folder (mode ${(st.mode & 0o777).toString(8)}, want 700)`, EXIT_USAGE);
  }
}

export async function runPipeline(o: PipelineOptions, report: Reporter = silent, hooks: RunHooks = {}): Promise<PipelineResult> {
  const startedAt = new Date().toISOString();
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t0) / 1000;
    t0 = now;
  };
  // Real paths from here on: the lock, the side folders and the checks all see where things really are.
  const warehouse = realPathOf(o.warehouse);
  const quarantine = realPathOf(o.quarantine);
  const problem = quarantinePlaceProblem(quarantine, warehouse);
  if (problem) {
    const linked = quarantine !== path.resolve(o.quarantine) || warehouse !== path.resolve(o.warehouse);
    const via = linked ? `, which is ${quarantine} once symbolic links are resolved; the warehouse is ${warehouse}` : '';
    throw new PipelineError(`the quarantine folder ${problem} (got ${o.quarantine}${via})`, EXIT_USAGE);
  }
  const key = loadKey(o.keyFile);
  const all = await discoverInputs(o.input);
  const consumed = all.filter((f) => consumedType(f.resourceType)) as (InputFile & { resourceType: ResourceType })[];
  const ignored = all.filter((f) => !consumedType(f.resourceType));
  if (!consumed.some((f) => f.resourceType === 'Patient')) throw new PipelineError(`no Patient*.ndjson file in ${o.input}: nothing to load`, EXIT_USAGE);
  if (!existsSync(o.optOut)) {
    throw new PipelineError(`no opt-out list at ${o.optOut}; pass --opt-out FILE (an empty file if nobody has opted out)`, EXIT_USAGE);
  }
  const mapping = readServiceMapping(o.serviceMapping ?? DEFAULT_SERVICE_MAPPING);
  const lsoaFile = o.lsoaReference ?? DEFAULT_LSOA_REFERENCE;
  const version = codeVersion();
  const scan = inputScans();
  const fingerprint = async (): Promise<{ runId: string; optOutSha256: string; reference: Manifest['reference'] }> => {
    const optOutSha256 = await sha256OfFile(o.optOut);
    const reference = { serviceMapping: mapping.sha256, lsoaReference: await sha256OfFile(lsoaFile) };
    for (const f of consumed) f.sha256 = await scan.sha256(f.path);
    const runId = runIdOf({ codeVersion: version, codeHash: codeHash(), keyId: key.keyId, policy: o.policy, asOf: o.asOf, inputs: consumed, optOutSha256, reference });
    return { runId, optOutSha256, reference };
  };

  const release = acquireLock(warehouse);
  try {
    // The rejects hold NHS numbers: owner-only before anything is written (refused, exit 2, if it cannot be)
    makePrivateDir(quarantine, 'quarantine folder');
    for (const msg of recoverInterruptedPublish(warehouse)) report.stage(msg);
    const previous = readManifest(warehouse);
    // Hashing gigabytes takes a while: only wait for it up front when the files look the same as
    // last time (a possible "up to date"); otherwise it runs while DuckDB reads the files.
    const sameFiles = previous?.inputs.length === consumed.length && previous.inputs.every((p, i) => p.file === consumed[i]!.file && p.bytes === consumed[i]!.bytes);
    let fingerprinted: Promise<Awaited<ReturnType<typeof fingerprint>>>;
    if (!o.force && sameFiles) {
      const done = await fingerprint();
      if (previous?.runId === done.runId) return { status: 'up-to-date', runId: done.runId, manifest: previous };
      fingerprinted = Promise.resolve(done);
    } else {
      fingerprinted = fingerprint();
      fingerprinted.catch(() => {}); // awaited below; this only stops an early failure elsewhere leaving it unhandled
    }
    lap('fingerprint');

    const tmp = tmpDir(warehouse, String(process.pid));
    // The run's private scratch: DuckDB's spill, the staged encounters, sanitised copies of broken files.
    const spill = o.tempDir ? path.join(realPathOf(o.tempDir), `lhcre-pipeline-${process.pid}`) : `${warehouse}.spill-${process.pid}`;
    const maxSpill = parseSize(o.maxTempSize ?? '16GB');
    if (maxSpill === null) throw new PipelineError(`--max-temp-size must look like '16GB' (got ${o.maxTempSize})`, EXIT_USAGE);
    const estimate = estimateInputs(consumed);
    checkDisk(diskNeeds(estimate, { temp: spill, warehouse: tmp, quarantine }, maxSpill));
    const quarantineTmp = path.join(quarantine, `pending-${process.pid}.tmp`);
    for (const d of [tmp, spill, quarantineTmp]) rmSync(d, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    // DuckDB's spill files and the sanitised copies of broken files hold identifiers too
    makePrivateDir(spill, 'spill folder');
    makePrivateDir(quarantineTmp, 'quarantine folder');
    const db = await PipelineDb.open({ threads: o.threads, memoryLimit: o.memoryLimit, spillDir: path.join(spill, 'duckdb'), maxTempSize: o.maxTempSize ?? '16GB' });
    try {
      await loadLsoaReference(db, lsoaFile);
      await loadServiceMapping(db, mapping);
      await createStageTables(db);
      const indexed = consumed.map((f, fileIdx) => ({ ...f, fileIdx }));
      const others = indexed.filter((f) => f.resourceType !== 'Encounter');
      const encounterInputs = indexed.filter((f) => f.resourceType === 'Encounter');
      const advance = (f: InputFile, records: number) => report.advance?.(f.bytes, records, f.file);
      report.stage(`reading ${others.length} Patient and Condition files`);
      report.begin?.('reading patients', others.reduce((n, f) => n + f.bytes, 0), 'bytes');
      const stagedOthers = await stageAll(db, others, { asOf: o.asOf, spillDir: spill, concurrency: o.threads, scan, onDone: advance });
      const ignoredFiles = [];
      for (const f of ignored) ignoredFiles.push({ file: f.file, bytes: f.bytes, lines: await countLines(f.path) });
      lap('read_patients');
      report.stage('validating and pseudonymising patients');
      await db.run('patients', finalPatientsSql);
      await db.run('free staging', 'DROP TABLE stage_patient');
      await pseudonymisePatients(db, key);
      const optOut = await applyOptOut(db, o.optOut);
      await db.run('conditions', finalConditionsSql);
      lap('patients');
      // Encounters: each file read once, classified against the loaded patients and staged as Parquet.
      report.stage(`reading ${encounterInputs.length} Encounter files`);
      report.begin?.('reading encounters', encounterInputs.reduce((n, f) => n + f.bytes, 0), 'bytes');
      const staging = encounterStaging(path.join(spill, 'stage'));
      await createEncounterRejects(db);
      const encounterFiles = await processEncounterFiles(db, encounterInputs, staging, { asOf: o.asOf, spillDir: spill, concurrency: o.threads, scan, onDone: advance });
      lap('read_encounters');
      report.stage('checking duplicate encounter ids');
      const duplicates = await findDuplicateEncounters(db, staging);
      rmSync(staging.idsDir, { recursive: true, force: true }); // a third of the staged bytes, not needed from here on
      await createEncounterRejected(db);
      const staged = [...stagedOthers, ...encounterFiles.map((f) => f.staged)].sort((a, b) => a.fileIdx - b.fileIdx);
      const resources: Record<string, ResourceCounts> = {};
      let loadedEncounters = 0;
      for (const type of RESOURCE_TYPES) {
        if (!staged.some((f) => f.resourceType === type)) continue;
        if (type === 'Encounter') {
          const { loadedDuplicatesRemoved: _, ...counts } = await countEncounters(db, encounterFiles);
          resources[type] = counts;
          loadedEncounters = counts.loaded;
        } else resources[type] = await countResources(db, type, staged);
      }
      if ((resources['Patient']?.read ?? 0) === 0) throw new PipelineError(`the Patient files in ${o.input} hold no records`, EXIT_USAGE);
      lap('validate');
      report.stage('building the warehouse');
      const built = await buildWarehouse(
        db,
        tmp,
        { eventsDir: staging.eventsDir, scratchDir: spill, loaded: loadedEncounters, dups: duplicates > 0 },
        { policy: o.policy, concurrency: o.threads },
        {
          stage: (s) => report.stage(s),
          partitions: (total) => report.begin?.('writing event partitions', total, 'partitions'),
          partitionDone: (name, rows) => report.advance?.(1, rows, name),
        },
      );
      lap('build');
      hooks.afterBuild?.(tmp);
      report.stage('writing quarantine');
      const qFiles = await writeQuarantine(db, staged, quarantineTmp);
      lap('quarantine');
      const { runId, optOutSha256, reference } = await fingerprinted;
      if (resources['Patient'] && o.policy === 'all') resources['Patient'] = { ...resources['Patient'], excludedByOptOut: built.excludedByOptOut.patients } as ResourceCounts;
      if (resources['Encounter'] && o.policy === 'all') resources['Encounter'] = { ...resources['Encounter'], excludedByOptOut: built.excludedByOptOut.events } as ResourceCounts;
      const manifest: Manifest = {
        schemaVersion: SCHEMA_VERSION,
        runId,
        startedAt,
        finishedAt: new Date().toISOString(),
        codeVersion: version,
        keyId: key.keyId,
        optOutPolicy: o.policy,
        asOf: o.asOf,
        inputs: staged.map((f) => ({ file: f.file, resourceType: f.resourceType, bytes: f.bytes, sha256: consumed[f.fileIdx]!.sha256, lines: f.lines, blankLines: f.blankLines, invalidUtf8Lines: f.invalidUtf8Lines })),
        ignoredFiles,
        reference,
        resources,
        optOut: { file: path.basename(o.optOut), sha256: optOutSha256, ...optOut, excludedPatients: built.excludedByOptOut.patients, excludedEvents: built.excludedByOptOut.events },
        tables: built.tables,
        eventPartitions: built.eventPartitions,
        period: built.period,
        forecasts: built.forecasts,
        quarantine: { folder: path.join(quarantine, runId), files: qFiles },
        timingsSeconds: { ...timings, ...built.timingsSeconds },
      };
      assertReconciles(manifest);
      writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      report.stage('publishing');
      publish(tmp, warehouse, { beforeSwap: hooks.beforeSwap });
      publishQuarantine(quarantine, quarantineTmp, runId);
      return { status: 'published', manifest };
    } finally {
      db.close();
      rmSync(spill, { recursive: true, force: true });
      rmSync(quarantineTmp, { recursive: true, force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    release();
  }
}

/** The new run's rejects replace older runs' (they hold identifiers: keep no more than needed). */
function publishQuarantine(quarantine: string, pending: string, runId: string): void {
  const final = path.join(quarantine, runId);
  rmSync(final, { recursive: true, force: true });
  renameSync(pending, final);
  for (const name of readdirSync(quarantine)) {
    // Only our own run folders: the quarantine may have been pointed at a folder with other files.
    if (name !== runId && /^([0-9a-f]{16}|pending-\d+\.tmp)$/.test(name)) rmSync(path.join(quarantine, name), { recursive: true, force: true });
  }
}
