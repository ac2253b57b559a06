/**
 * Generator throughput and memory: runs `npm run generate` as a child process at 50k and 200k
 * patients (five years, uncompressed), sampling the child's peak resident memory (VmHWM in
 * /proc/<pid>/status) every 100 ms. Memory must not grow with the number of patients; the
 * throughput target is 150,000 encounters a second in one process.
 * BENCH_QUICK=1: 10k and 40k patients. Writes bench/results/generate.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = QUICK ? [10_000, 40_000] : [50_000, 200_000];
const TARGET_ENCOUNTERS_PER_SECOND = 150_000;
/** Peak memory at the larger size may exceed the smaller's by at most this factor. */
const BOUNDED_MEMORY_FACTOR = 1.25;

interface RunResult {
  patients: number;
  encounters: number;
  files: number;
  bytes: number;
  wallSeconds: number;
  generatorSeconds: number;
  encountersPerSecond: number;
  patientsPerSecond: number;
  megabytesPerSecond: number;
  peakRssMb: number;
  /** CPU seconds of the generator (user + system, all threads; last 100 ms sample before exit). */
  cpuSeconds: number;
  /** Encounters per CPU second: the throughput independent of other load on the machine. */
  encountersPerCpuSecond: number;
}

function readKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process has just exited
  }
}

/** utime + stime of a process in seconds (clock ticks are 100 a second on Linux). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function runOnce(patients: number): Promise<RunResult> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lhcre-bench-generate-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'pipelines/generate/cli.ts'), '--out', out, '--patients', String(patients), '--seed', '1'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakKb = 0;
    let cpuSeconds = 0;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, readKb(child.pid!, 'VmHWM'), readKb(child.pid!, 'VmRSS'));
      cpuSeconds = Math.max(cpuSeconds, cpuSecondsOf(child.pid!));
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(sampler);
    const wallSeconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`generate exited ${code}: ${stderr.trim()}`);
    const m = /generated ([\d,]+) patients, ([\d,]+) encounters.* in ([\d.]+) s/.exec(stdout);
    if (!m) throw new Error(`unexpected summary: ${stdout}`);
    const files = readdirSync(out);
    const bytes = files.reduce((s, f) => s + statSync(path.join(out, f)).size, 0);
    const encounters = Number(m[2]!.replaceAll(',', ''));
    return {
      patients,
      encounters,
      files: files.length,
      bytes,
      wallSeconds: round(wallSeconds, 2),
      generatorSeconds: Number(m[3]),
      encountersPerSecond: Math.round(encounters / wallSeconds),
      patientsPerSecond: Math.round(patients / wallSeconds),
      megabytesPerSecond: round(bytes / 1e6 / wallSeconds, 1),
      peakRssMb: round(peakKb / 1024, 1),
      cpuSeconds: round(cpuSeconds, 2),
      encountersPerCpuSecond: Math.round(encounters / cpuSeconds),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const runs: RunResult[] = [];
  for (const n of SIZES) runs.push(await runOnce(n));
  const largest = runs[runs.length - 1]!;
  const smallest = runs[0]!;
  const memoryRatio = round(largest.peakRssMb / smallest.peakRssMb, 2);
  console.table(
    runs.map((r) => ({
      patients: r.patients.toLocaleString('en-GB'),
      encounters: r.encounters.toLocaleString('en-GB'),
      'wall s': r.wallSeconds,
      'encounters/s': r.encountersPerSecond.toLocaleString('en-GB'),
      'CPU s': r.cpuSeconds,
      'encounters/CPU s': r.encountersPerCpuSecond.toLocaleString('en-GB'),
      'patients/s': r.patientsPerSecond.toLocaleString('en-GB'),
      'MB/s': r.megabytesPerSecond,
      files: r.files,
      'GB written': round(r.bytes / 1e9, 2),
      'peak RSS MB': r.peakRssMb,
    })),
  );
  const throughputMet = largest.encountersPerSecond >= TARGET_ENCOUNTERS_PER_SECOND;
  const bounded = memoryRatio <= BOUNDED_MEMORY_FACTOR;
  console.log(
    `throughput at ${largest.patients.toLocaleString('en-GB')} patients: ${largest.encountersPerSecond.toLocaleString('en-GB')} encounters/s ` +
      `(target ${TARGET_ENCOUNTERS_PER_SECOND.toLocaleString('en-GB')}: ${throughputMet ? 'met' : 'NOT met'}; ` +
      `${largest.encountersPerCpuSecond.toLocaleString('en-GB')} per CPU second, load average ${round(os.loadavg()[0]!, 1)} on ${os.cpus().length} CPUs); ` +
      `peak RSS ${smallest.peakRssMb} MB -> ${largest.peakRssMb} MB (x${memoryRatio}: ${bounded ? 'bounded' : 'GROWS with size'})`,
  );
  mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, 'bench/results/generate.json'),
    JSON.stringify(
      {
        bench: 'generate',
        quick: QUICK,
        command: 'npm run generate -- --out TMP --patients N --seed 1 (2019-07 to 2024-06, uncompressed)',
        machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: round(os.loadavg()[0]!, 2) },
        runs,
        targets: { encountersPerSecond: TARGET_ENCOUNTERS_PER_SECOND, throughputMet, memoryRatio, memoryBounded: bounded },
      },
      null,
      2,
    ) + '\n',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
