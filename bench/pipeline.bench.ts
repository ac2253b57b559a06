/**
 * Pipeline throughput against DuckDB's own NDJSON-to-Parquet copy of the same Encounter files,
 * side by side in one run (DESIGN.md section 11: at least half its speed, bounded memory).
 *
 * Generates a record with the generator CLI (default 200,000 patients; `PIPELINE_BENCH_PATIENTS`
 * overrides), then runs each contender 3 times in a child process and reports medians of wall
 * time and peak RSS (VmHWM, via /usr/bin/time -v). Writes bench/results/pipeline.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATIENTS = Number(process.env['PIPELINE_BENCH_PATIENTS'] ?? 200_000);
const RUNS = 3;
const THREADS = 2;
const MEMORY = '4GB';

interface Measured {
  seconds: number;
  peakRssMb: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a command, timing it; peak RSS from GNU time when the machine has it. */
function measure(cmd: string, args: string[]): Measured & { stdout: string } {
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = gnuTime ? spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, TZ: 'UTC' } }) : spawnSync(cmd, args, { encoding: 'utf8', cwd: repoRoot });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { seconds, peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null, stdout: r.stdout };
}

const tsx = (script: string, ...args: string[]) => [process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args]] as const;

const work = mkdtempSync(path.join(os.tmpdir(), 'lhcre-bench-pipeline-'));
try {
  const input = path.join(work, 'record');
  console.log(`generating ${PATIENTS.toLocaleString('en-GB')} patients into ${input} ...`);
  const [gen, genArgs] = tsx('pipelines/generate/cli.ts', '--out', input, '--patients', String(PATIENTS), '--seed', '42', '--no-gzip');
  measure(gen, [...genArgs]);
  const files = readdirSync(input).filter((f) => f.endsWith('.ndjson'));
  const bytes = files.reduce((s, f) => s + statSync(path.join(input, f)).size, 0);
  const encounterFiles = files.filter((f) => f.startsWith('Encounter'));
  const key = path.join(work, 'bench.key');
  writeFileSync(key, 'bench-key-0123456789abcdef0123456789abcdef\n');

  const pipelineRuns: (Measured & { manifest: { resources: Record<string, { read: number }>; timingsSeconds: Record<string, number> } })[] = [];
  const copyRuns: (Measured & { rows: number })[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate the two so that background load hits both alike.
    const warehouse = path.join(work, 'warehouse');
    const [cmd, args] = tsx('pipelines/ingest/cli.ts', '--input', input, '--warehouse', warehouse, '--key-file', key, '--threads', String(THREADS), '--memory-limit', MEMORY, '--force', '--quiet');
    const p = measure(cmd, [...args]);
    pipelineRuns.push({ ...p, manifest: JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')) });
    console.log(`pipeline run ${i + 1}: ${p.seconds.toFixed(1)} s, peak RSS ${p.peakRssMb} MB`);

    const out = path.join(work, 'plain-copy.parquet');
    const code = `import { DuckDBInstance } from '@duckdb/node-api';
      const db = await DuckDBInstance.create(':memory:', { threads: '${THREADS}', memory_limit: '${MEMORY}' });
      const c = await db.connect();
      const r = await c.runAndReadAll(\`COPY (SELECT * FROM read_json('${path.join(input, 'Encounter*.ndjson')}')) TO '${out}' (FORMAT parquet)\`);
      console.log(String(r.getRows()[0][0]));`;
    const c = measure(process.execPath, ['--input-type=module', '-e', code]);
    copyRuns.push({ ...c, rows: Number(c.stdout.trim()) });
    rmSync(out, { force: true });
    console.log(`plain DuckDB copy run ${i + 1}: ${c.seconds.toFixed(1)} s, peak RSS ${c.peakRssMb} MB`);
  }

  const m = pipelineRuns[0]!.manifest;
  const records = Object.values(m.resources).reduce((s, r) => s + r.read, 0);
  const encounters = m.resources['Encounter']?.read ?? 0;
  const pipelineSeconds = median(pipelineRuns.map((r) => r.seconds));
  const forecastSeconds = median(pipelineRuns.map((r) => r.manifest.timingsSeconds['build_forecasts'] ?? 0));
  const copySeconds = median(copyRuns.map((r) => r.seconds));
  const result = {
    bench: 'pipeline',
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadAverage1mAtEnd: os.loadavg()[0] },
    input: { patients: PATIENTS, files: files.length, encounterFiles: encounterFiles.length, megabytes: Math.round(bytes / 1e6), records, encounters },
    settings: { threads: THREADS, memoryLimit: MEMORY, runs: RUNS },
    pipeline: {
      medianSeconds: pipelineSeconds,
      recordsPerSecond: Math.round(records / pipelineSeconds),
      encountersPerSecond: Math.round(encounters / pipelineSeconds),
      medianPeakRssMb: median(pipelineRuns.map((r) => r.peakRssMb ?? 0)),
      medianForecastSeconds: forecastSeconds,
      stageSecondsOfFirstRun: m.timingsSeconds,
      runs: pipelineRuns.map((r) => ({ seconds: r.seconds, peakRssMb: r.peakRssMb })),
    },
    plainDuckdbCopy: {
      what: "COPY (SELECT * FROM read_json('Encounter*.ndjson')) TO 'x.parquet'",
      medianSeconds: copySeconds,
      encountersPerSecond: Math.round(copyRuns[0]!.rows / copySeconds),
      medianPeakRssMb: median(copyRuns.map((r) => r.peakRssMb ?? 0)),
      runs: copyRuns.map((r) => ({ seconds: r.seconds, peakRssMb: r.peakRssMb })),
    },
    // Encounters per second, pipeline over plain copy: the target is at least 0.5.
    ratio: Math.round((encounters / pipelineSeconds / (copyRuns[0]!.rows / copySeconds)) * 1000) / 1000,
    ratioWithoutForecasts: Math.round((encounters / (pipelineSeconds - forecastSeconds) / (copyRuns[0]!.rows / copySeconds)) * 1000) / 1000,
  };
  mkdirSync(path.join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'bench', 'results', 'pipeline.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.table({
    pipeline: { 'median s': pipelineSeconds.toFixed(1), 'encounters/s': result.pipeline.encountersPerSecond, 'records/s': result.pipeline.recordsPerSecond, 'peak RSS MB': result.pipeline.medianPeakRssMb },
    'plain DuckDB copy': { 'median s': copySeconds.toFixed(1), 'encounters/s': result.plainDuckdbCopy.encountersPerSecond, 'records/s': '', 'peak RSS MB': result.plainDuckdbCopy.medianPeakRssMb },
  });
  console.log(`ratio (pipeline / plain copy, encounters per second): ${result.ratio} (target >= 0.5); without the forecasting step: ${result.ratioWithoutForecasts}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
