/**
 * Generates a synthetic shared-care record into a folder: Patient, Encounter (and optionally
 * Condition) NDJSON plus the national data opt-out list. Patients are simulated one at a time and
 * streamed out, so memory is the reference tables plus a few MB of buffers, whatever the size.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
const OUTPUT_FILE = /^(Patient|Encounter|Condition)\.\d{3,}\.ndjson(\.gz)?$|^national-data-opt-out\.txt$/;

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

export async function generateRecord(options: GenerateOptions, onProgress?: (done: number, total: number) => void): Promise<GenerateSummary> {
  const started = performance.now();
  prepareOutputFolder(options.out, options.overwrite);
  const frame = new PopulationFrame(loadLsoaPopulations(), loadFemaleShareByAge(), options.fromMonth, options.toMonth);
  const patients = 'patients' in options.size ? options.size.patients : Math.max(1, Math.round(options.size.scale * frame.total));
  const rates = buildRateTables(frame, loadStpMonthlyActivity(), loadStpPopulations(), options.fromMonth, options.toMonth);
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
    encounterIdWidth: Math.max(8, digits(patients * rates.months * 1.5)),
    conditions: options.conditions,
  };
  const sinkOptions = { gzip: options.gzip, linesPerFile: options.linesPerFile };
  const patientSink = new NdjsonSink(options.out, 'Patient', sinkOptions);
  const encounterSink = new NdjsonSink(options.out, 'Encounter', sinkOptions);
  const conditionSink = new NdjsonSink(options.out, 'Condition', sinkOptions);
  const optOutSink = new NdjsonSink(options.out, 'opt-out', { gzip: false, fileName: OPT_OUT_FILE });
  const simulator = new PatientSimulator(ctx);
  const nhsNumbers = new NhsNumberSequence(patients);
  let encounters = 0;
  let conditions = 0;
  let optedOut = 0;
  for (let i = 0; i < patients; i++) {
    const nhsNumber = nhsNumbers.next();
    encounterSink.begin();
    const p = simulator.simulate(i, nhsNumber, encounterSink.bytes);
    encounterSink.commit(p.encounterCount);
    patientSink.write(p.patient);
    encounters += p.encounterCount;
    if (p.conditionCount > 0) conditionSink.write(p.conditions, p.conditionCount);
    conditions += p.conditionCount;
    if (p.optedOut) {
      optOutSink.write(nhsNumber + '\n');
      optedOut++;
    }
    const wait = encounterSink.ready() ?? patientSink.ready() ?? conditionSink.ready() ?? optOutSink.ready();
    if (wait) await wait;
    if (onProgress && (i % 1000 === 999 || i === patients - 1)) onProgress(i + 1, patients);
  }
  const sinks = [patientSink, encounterSink, conditionSink, optOutSink];
  await Promise.all(sinks.map((s) => s.close()));
  // The opt-out list always exists (possibly empty) so the pipeline can rely on it.
  const optOutPath = path.join(options.out, OPT_OUT_FILE);
  if (optOutSink.files.length === 0) writeFileSync(optOutPath, '');
  const files = [...patientSink.files, ...encounterSink.files, ...conditionSink.files, optOutPath];
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  return { patients, encounters, conditions, optedOut, files, bytes, seconds: (performance.now() - started) / 1000 };
}
