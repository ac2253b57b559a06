/**
 * Generates a synthetic shared-care record into a folder: Patient, Encounter (and optionally
 * Condition) NDJSON plus the national data opt-out list. Patients are simulated one at a time and
 * streamed out, so memory is the reference tables plus a few MB of buffers, whatever the size.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { STPS } from '../../domain/geography.ts';
import { loadFemaleShareByAge, loadLsoaPopulations, loadStpMonthlyActivity, loadStpPopulations } from '../../domain/reference-data.ts';
import { buildRateTables } from './calibration.ts';
import { acuteTrustCount, gpPracticeCode } from './identity.ts';
import { NdjsonSink } from './ndjson-sink.ts';
import { NhsNumberSequence } from './nhs-number-sequence.ts';
import { PatientSimulator, type SimulationContext } from './patient-simulator.ts';
import { PopulationFrame } from './population-frame.ts';
import { Rng } from './prng.ts';

export interface GenerateOptions {
  out: string;
  /** Absolute number of patients, or a share of the whole population (1 = everyone). */
  size: { patients: number } | { scale: number };
  seed: number;
  fromMonth: number;
  toMonth: number;
  gzip: boolean;
  conditions: boolean;
  overwrite: boolean;
  linesPerFile?: number;
  /** Patients per shard (default `PATIENTS_PER_SHARD`); tests use small shards. */
  patientsPerShard?: number;
  /** Worker threads for a record of several shards (the bytes do not depend on it). */
  workers?: number;
}

export interface GenerateSummary {
  patients: number;
  encounters: number;
  conditions: number;
  optedOut: number;
  files: string[];
  bytes: number;
  seconds: number;
}

export const OPT_OUT_FILE = 'national-data-opt-out.txt';
const OUTPUT_FILE = /^(Patient|Encounter|Condition)\.(\d{2,}\.)?\d{3,}\.ndjson(\.gz)?$|^national-data-opt-out\.txt$/;

export class GenerateError extends Error {}

/** Refuses to mix a new record with an old one; `overwrite` removes only files this generator writes. */
function prepareOutputFolder(dir: string, overwrite: boolean): void {
  mkdirSync(dir, { recursive: true });
  if (!statSync(dir).isDirectory()) throw new GenerateError(`--out ${dir} is not a folder`);
  const previous = readdirSync(dir).filter((f) => OUTPUT_FILE.test(f));
  if (previous.length === 0) return;
  if (!overwrite) throw new GenerateError(`--out ${dir} already holds a generated record (${previous[0]}); pass --overwrite to replace it`);
  for (const f of previous) rmSync(path.join(dir, f));
}

function practiceAndTrustOfLsoa(frame: PopulationFrame): { practices: string[]; trusts: Uint8Array } {
  const rank = new Array<number>(STPS.length).fill(0);
  const counts = new Array<number>(STPS.length).fill(0);
  for (let i = 0; i < frame.lsoas.length; i++) counts[frame.stpIndexOfLsoa[i]!]!++;
  const practices: string[] = [];
  const trusts = new Uint8Array(frame.lsoas.length);
  for (let i = 0; i < frame.lsoas.length; i++) {
    const stp = frame.stpIndexOfLsoa[i]!;
    const r = rank[stp]!++;
    practices.push(gpPracticeCode(stp, r));
    // LSOA codes are roughly geographic within an STP, so contiguous runs share a nearest trust.
    trusts[i] = Math.min(acuteTrustCount(stp) - 1, Math.floor((r / counts[stp]!) * acuteTrustCount(stp)));
  }
  return { practices, trusts };
}

/**
 * Records of more than `patientsPerShard` patients are generated in shards of that many, each on
 * its own (worker threads, `workers` at a time), into its own files (`Encounter.<shard>.<n>.ndjson`),
 * with its own id range (encounter and condition ids from shard x 10^8 + 1). A shard's bytes
 * depend only on the options and its number, never on the worker count or the order shards finish:
 * the same options give the same files on one worker or on many. A record of one shard (up to a
 * million patients: the sample, the tests) is exactly what it was before shards existed.
 */
export const PATIENTS_PER_SHARD = 1_000_000;
/** A shard's id range: a million patients over 30 years at 1.5 encounters a month is 5.4e8... at five years 9e7. */
const SHARD_ID_STRIDE = 100_000_000;

export interface Prepared {
  ctx: SimulationContext;
  patients: number;
  shards: number;
  perShard: number;
}

export function prepare(options: GenerateOptions): Prepared {
  const frame = new PopulationFrame(loadLsoaPopulations(), loadFemaleShareByAge(), options.fromMonth, options.toMonth);
  const patients = 'patients' in options.size ? options.size.patients : Math.max(1, Math.round(options.size.scale * frame.total));
  const perShard = options.patientsPerShard ?? PATIENTS_PER_SHARD;
  const shards = Math.max(1, Math.ceil(patients / perShard));
  const rates = buildRateTables(frame, loadStpMonthlyActivity(), loadStpPopulations(), options.fromMonth, options.toMonth);
  if (shards > 1 && perShard * rates.months * 1.5 >= SHARD_ID_STRIDE) throw new GenerateError(`a shard of ${perShard} patients over ${rates.months} months may need more than ${SHARD_ID_STRIDE} ids`);
  const { practices, trusts } = practiceAndTrustOfLsoa(frame);
  const digits = (n: number) => String(Math.max(1, Math.round(n))).length;
  const ctx: SimulationContext = {
    seed: options.seed,
    patients,
    sampleStart: new Rng(options.seed, 0x7fffffff).next(),
    fromMonth: options.fromMonth,
    toMonth: options.toMonth,
    frame,
    rates,
    practiceOfLsoa: practices,
    homeTrustOfLsoa: trusts,
    patientIdWidth: Math.max(6, digits(patients)),
    encounterIdWidth: Math.max(8, digits(patients * rates.months * 1.5), shards > 1 ? digits(shards * SHARD_ID_STRIDE) : 0),
    conditions: options.conditions,
  };
  return { ctx, patients, shards, perShard };
}

export interface ShardResult {
  shard: number;
  patients: number;
  encounters: number;
  conditions: number;
  /** NHS numbers of the shard's opted-out patients, in patient order. */
  optedOut: string[];
  files: string[];
}

/** One shard's patients into its files; `onProgress` gets the patients done so far in the shard. */
export async function generateShard(options: GenerateOptions, prepared: Prepared, shard: number, onProgress?: (done: number) => void): Promise<ShardResult> {
  const { ctx, patients, shards, perShard } = prepared;
  const first = shard * perShard;
  const last = Math.min(patients, first + perShard);
  const sinkOptions = { gzip: options.gzip, linesPerFile: options.linesPerFile, numberPrefix: shards > 1 ? `${String(shard).padStart(2, '0')}.` : '' };
  const patientSink = new NdjsonSink(options.out, 'Patient', sinkOptions);
  const encounterSink = new NdjsonSink(options.out, 'Encounter', sinkOptions);
  const conditionSink = new NdjsonSink(options.out, 'Condition', sinkOptions);
  const simulator = new PatientSimulator(ctx, shards > 1 ? shard * SHARD_ID_STRIDE + 1 : 1);
  const nhsNumbers = new NhsNumberSequence(patients).skip(first);
  const optedOut: string[] = [];
  let encounters = 0;
  let conditions = 0;
  for (let i = first; i < last; i++) {
    const nhsNumber = nhsNumbers.next();
    encounterSink.begin();
    const p = simulator.simulate(i, nhsNumber, encounterSink.bytes);
    encounterSink.commit(p.encounterCount);
    patientSink.write(p.patient);
    encounters += p.encounterCount;
    if (p.conditionCount > 0) conditionSink.write(p.conditions, p.conditionCount);
    conditions += p.conditionCount;
    if (p.optedOut) optedOut.push(nhsNumber);
    const wait = encounterSink.ready() ?? patientSink.ready() ?? conditionSink.ready();
    if (wait) await wait;
    if (onProgress && ((i - first) % 1000 === 999 || i === last - 1)) onProgress(i + 1 - first);
  }
  await Promise.all([patientSink, encounterSink, conditionSink].map((s) => s.close()));
  return { shard, patients: last - first, encounters, conditions, optedOut, files: [...patientSink.files, ...encounterSink.files, ...conditionSink.files] };
}

/** Runs the shards on `workers` worker threads, one shard at a time each, in shard order of start. */
async function runShardsOnWorkers(options: GenerateOptions, prepared: Prepared, workers: number, onProgress: (shard: number, done: number) => void): Promise<ShardResult[]> {
  const results: ShardResult[] = [];
  let next = 0;
  const url = new URL('./generate-worker-entry.mjs', import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const worker = new Worker(url, { workerData: { options } });
      try {
        for (let shard = next++; shard < prepared.shards; shard = next++) {
          results.push(
            await new Promise<ShardResult>((resolve, reject) => {
              const onMessage = (m: { type: 'progress'; done: number } | { type: 'done'; result: ShardResult } | { type: 'error'; message: string }) => {
                if (m.type === 'progress') return onProgress(shard, m.done);
                worker.off('message', onMessage);
                worker.off('error', reject);
                if (m.type === 'done') resolve(m.result);
                else reject(new GenerateError(m.message));
              };
              worker.on('message', onMessage);
              worker.once('error', reject);
              worker.postMessage(shard);
            }),
          );
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results.sort((a, b) => a.shard - b.shard);
}

export async function generateRecord(options: GenerateOptions, onProgress?: (done: number, total: number) => void): Promise<GenerateSummary> {
  const started = performance.now();
  prepareOutputFolder(options.out, options.overwrite);
  const prepared = prepare(options);
  const { patients, shards } = prepared;
  const workers = Math.max(1, Math.min(options.workers ?? 1, shards));
  let results: ShardResult[];
  if (shards === 1 || workers === 1) {
    results = [];
    for (let k = 0; k < shards; k++) {
      const before = k * prepared.perShard;
      results.push(await generateShard(options, prepared, k, (done) => onProgress?.(before + done, patients)));
    }
  } else {
    const done = new Array<number>(shards).fill(0);
    results = await runShardsOnWorkers(options, prepared, workers, (shard, n) => {
      done[shard] = n;
      onProgress?.(done.reduce((a, b) => a + b, 0), patients);
    });
  }
  // The opt-out list always exists (possibly empty) so the pipeline can rely on it.
  const optOutPath = path.join(options.out, OPT_OUT_FILE);
  writeFileSync(optOutPath, results.map((r) => r.optedOut.map((n) => `${n}\n`).join('')).join(''));
  const order = (f: string) => ['Patient', 'Encounter', 'Condition'].indexOf(path.basename(f).split('.')[0]!);
  const files = [...results.flatMap((r) => r.files).sort((a, b) => order(a) - order(b) || a.localeCompare(b)), optOutPath];
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  return {
    patients,
    encounters: results.reduce((s, r) => s + r.encounters, 0),
    conditions: results.reduce((s, r) => s + r.conditions, 0),
    optedOut: results.reduce((s, r) => s + r.optedOut.length, 0),
    files,
    bytes,
    seconds: (performance.now() - started) / 1000,
  };
}
