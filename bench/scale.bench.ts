/**
 * `npm run bench -- scale`: the generator and the pipeline at several shares of the population
 * (default 0.01, 0.03 and 0.1; `SCALE_BENCH_SIZES=0.01,0.03` to change), each followed by DuckDB's
 * own NDJSON-to-Parquet copy of the same Encounter files (the baseline of the same run) and the
 * API's p95 for every dashboard request on the warehouse just built. Per size and stage: wall
 * time, encounters per second, peak RSS, peak temp-folder bytes (staging and DuckDB's spill),
 * bytes read from disk (the page cache is dropped first where the machine allows it). Then a
 * least-squares line of seconds against encounters per stage, and its extrapolation to the whole
 * population. Each size's record and warehouse are deleted before the next (disk). Writes
 * bench/results/scale.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENDPOINTS, r1, sequential } from './api-requests.ts';
import { REPO_ROOT, serve } from './api-setup.ts';

const SIZES = (process.env['SCALE_BENCH_SIZES'] ?? '0.01,0.03,0.1').split(',').map(Number);
if (SIZES.some((s) => !(s > 0 && s <= 1))) throw new Error('SCALE_BENCH_SIZES: shares of the population in (0, 1]');
const WORK = process.env['SCALE_BENCH_DIR'] ?? path.join(REPO_ROOT, 'test-output', 'bench-scale');
const API_REQUESTS = 100;

interface Run {
  seconds: number;
  peakRssMb: number;
  /** From GNU time's "File system inputs" (512-byte blocks read from disk, page cache misses). */
  diskReadMb: number;
  cpuSeconds: number;
  peakTempMb: number;
  stdout: string;
}

function duBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      try {
        n += statSync(path.join(e.parentPath, e.name)).size;
      } catch {
        // deleted while we looked
      }
    }
  }
  return n;
}

function dropPageCache(): boolean {
  const r = spawnSync('sh', ['-c', 'sync && echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Runs `node ...nodeArgs` under GNU time, polling `watchDir`'s size every 0.5 s for the peak. */
async function measure(nodeArgs: string[], watchDir?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', process.execPath, ...nodeArgs], {
      cwd: REPO_ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-20000)));
    let peakTemp = 0;
    const timer = watchDir ? setInterval(() => (peakTemp = Math.max(peakTemp, duBytes(watchDir))), 500) : null;
    const t0 = performance.now();
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`node ${nodeArgs.join(' ').slice(0, 200)} failed (${code}): ${stderr.slice(-3000)}`));
      const num = (re: RegExp) => Number(re.exec(stderr)?.[1] ?? NaN);
      resolve({
        seconds,
        peakRssMb: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
        diskReadMb: Math.round((num(/File system inputs: (\d+)/) * 512) / 1e6),
        cpuSeconds: r1(num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)),
        peakTempMb: Math.round(peakTemp / 1e6),
        stdout,
      });
    });
  });
}

/** Least squares y = a + b x, with R². */
function fit(xs: number[], ys: number[]): { intercept: number; slope: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const ssTot = ys.reduce((s, y) => s + (y - my) ** 2, 0);
  const ssRes = ys.reduce((s, y, i) => s + (y - intercept - slope * xs[i]!) ** 2, 0);
  return { intercept, slope, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}

mkdirSync(WORK, { recursive: true });
const key = path.join(WORK, 'key');
writeFileSync(key, 'scale-bench-key-0123456789abcdef0123456789abcdef\n', { mode: 0o600 });
const dropped = dropPageCache();
console.log(`scale bench: sizes ${SIZES.join(', ')} in ${WORK}; page cache ${dropped ? 'dropped before each pipeline and copy' : 'NOT dropped (needs root): disk reads are page-cache misses only'}`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one row per size, shape as pushed below
const sizes: any[] = [];
for (const scale of SIZES) {
  const record = path.join(WORK, `record-${scale}`);
  const warehouse = path.join(WORK, `warehouse-${scale}`);
  const temp = path.join(WORK, `temp-${scale}`);
  for (const d of [record, warehouse, `${warehouse}.quarantine`, temp]) rmSync(d, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    console.log(`\n--- scale ${scale} ---`);
    const tsx = (script: string, ...args: string[]) => ['--import', 'tsx', path.join(REPO_ROOT, script), ...args];
    const gen = await measure(tsx('pipelines/generate/cli.ts', '--out', record, '--scale', String(scale), '--seed', '11'));
    const recordFiles = readdirSync(record);
    const recordBytes = duBytes(record);
    const patients = Number(/generated ([\d,]+) patients/.exec(gen.stdout)?.[1]?.replaceAll(',', '') ?? NaN);
    const encounters = Number(/([\d,]+) encounters/.exec(gen.stdout)?.[1]?.replaceAll(',', '') ?? NaN);
    console.log(`generate: ${patients} patients, ${encounters} encounters, ${(recordBytes / 1e6).toFixed(0)} MB (${(recordBytes / encounters).toFixed(1)} bytes an encounter) in ${gen.seconds.toFixed(1)} s, peak RSS ${gen.peakRssMb} MB`);

    if (dropped) dropPageCache();
    const pipe = await measure(tsx('pipelines/ingest/cli.ts', '--input', record, '--warehouse', warehouse, '--key-file', key, '--temp-dir', temp, '--force', '--quiet'), temp);
    const manifest = JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')) as { tables: Record<string, number>; timingsSeconds: Record<string, number> };
    const warehouseBytes = duBytes(warehouse);
    console.log(`pipeline: ${pipe.seconds.toFixed(1)} s (${Math.round(encounters / pipe.seconds)} encounters/s), peak RSS ${pipe.peakRssMb} MB, peak temp ${pipe.peakTempMb} MB, read from disk ${pipe.diskReadMb} MB, warehouse ${(warehouseBytes / 1e6).toFixed(0)} MB`);

    if (dropped) dropPageCache();
    const copyOut = path.join(temp, 'plain-copy.parquet');
    const copyCode = `import { DuckDBInstance } from '@duckdb/node-api';
      const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '4GB', temp_directory: '${temp}' });
      const c = await db.connect();
      const r = await c.runAndReadAll(\`COPY (SELECT * FROM read_json('${path.join(record, 'Encounter*.ndjson.gz')}')) TO '${copyOut}' (FORMAT parquet)\`);
      console.log(String(r.getRows()[0][0]));`;
    const copy = await measure(['--input-type=module', '-e', copyCode]);
    rmSync(copyOut, { force: true });
    console.log(`plain DuckDB copy: ${copy.seconds.toFixed(1)} s; pipeline/copy speed ratio ${(copy.seconds / pipe.seconds).toFixed(2)}`);

    const server = await serve(warehouse, { cache: false });
    const api = [];
    try {
      for (const e of ENDPOINTS.filter((x) => x.fastPath)) api.push({ endpoint: e.name, ...(await sequential(server.url, server.token, e.path, API_REQUESTS)) });
    } finally {
      await server.stop();
    }
    console.log(`API p95 (ms): ${api.map((a) => `${a.endpoint} ${a.p95}`).join('; ')}`);

    sizes.push({
      scale,
      patients,
      encounters,
      record: { files: recordFiles.length, bytes: recordBytes, bytesPerEncounter: r1(recordBytes / encounters) },
      generate: { seconds: r1(gen.seconds), encountersPerSecond: Math.round(encounters / gen.seconds), peakRssMb: gen.peakRssMb, cpuSeconds: gen.cpuSeconds },
      pipeline: {
        seconds: r1(pipe.seconds),
        encountersPerSecond: Math.round(encounters / pipe.seconds),
        peakRssMb: pipe.peakRssMb,
        peakTempMb: pipe.peakTempMb,
        diskReadMb: pipe.diskReadMb,
        cpuSeconds: pipe.cpuSeconds,
        stages: manifest.timingsSeconds,
      },
      plainCopy: { seconds: r1(copy.seconds), encountersPerSecond: Math.round(encounters / copy.seconds), peakRssMb: copy.peakRssMb, diskReadMb: copy.diskReadMb },
      pipelineOverCopySpeed: Math.round((copy.seconds / pipe.seconds) * 1000) / 1000,
      warehouse: { bytes: warehouseBytes, tables: manifest.tables },
      apiP95Ms: Object.fromEntries(api.map((a) => [a.endpoint, a.p95])),
      apiWorstP95Ms: Math.max(...api.map((a) => a.p95)),
      apiErrors: api.reduce((s, a) => s + a.errors, 0),
    });
  } finally {
    for (const d of [record, warehouse, `${warehouse}.quarantine`, temp]) rmSync(d, { recursive: true, force: true });
  }
}

// Seconds against encounters, per stage: linear if the fit is tight and the per-million cost flat.
const xs = sizes.map((s) => s.encounters);
// `--scale 1` is every resident plus the babies born in the period: encounters / scale.
const fullEncounters = Math.round(sizes.reduce((s, x) => s + x.encounters / x.scale, 0) / sizes.length);
const fullPatients = Math.round(sizes.reduce((s, x) => s + x.patients / x.scale, 0) / sizes.length);
const stages: Record<string, number[]> = {
  generate: sizes.map((s) => s.generate.seconds),
  pipeline: sizes.map((s) => s.pipeline.seconds),
  plainCopy: sizes.map((s) => s.plainCopy.seconds),
  pipelineReadEncounters: sizes.map((s) => s.pipeline.stages['read_encounters'] ?? 0),
  pipelineBuild: sizes.map((s) => s.pipeline.stages['build'] ?? 0),
};
const linear = Object.fromEntries(
  Object.entries(stages).map(([name, ys]) => {
    const f = fit(xs, ys);
    return [name, { secondsPerMillionEncounters: sizes.map((s, i) => r1((ys[i]! / s.encounters) * 1e6)), slopeSecondsPerMillion: r1(f.slope * 1e6), interceptSeconds: r1(f.intercept), r2: Math.round(f.r2 * 10000) / 10000, fullScaleMinutes: r1((f.intercept + f.slope * fullEncounters) / 60) }];
  }),
);
const peakTempFit = fit(xs, sizes.map((s) => s.pipeline.peakTempMb));
const warehouseFit = fit(xs, sizes.map((s) => s.warehouse.bytes));
const recordFit = fit(xs, sizes.map((s) => s.record.bytes));
const result = {
  bench: 'scale',
  when: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage1mAtEnd: os.loadavg()[0] },
  pageCacheDropped: dropped,
  sizes,
  linear,
  fullScale: {
    patients: fullPatients,
    encountersEstimated: fullEncounters,
    recordGb: r1((recordFit.intercept + recordFit.slope * fullEncounters) / 1e9),
    peakTempGb: r1((peakTempFit.intercept + peakTempFit.slope * fullEncounters) / 1e3),
    warehouseGb: r1((warehouseFit.intercept + warehouseFit.slope * fullEncounters) / 1e9),
  },
};
mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(REPO_ROOT, 'bench', 'results', 'scale.json'), `${JSON.stringify(result, null, 2)}\n`);
console.table(
  Object.fromEntries(
    sizes.map((s) => [
      s.scale,
      {
        encounters: s.encounters,
        'gen s': s.generate.seconds,
        'pipeline s': s.pipeline.seconds,
        'enc/s': s.pipeline.encountersPerSecond,
        'copy s': s.plainCopy.seconds,
        'ratio': s.pipelineOverCopySpeed,
        'RSS MB': s.pipeline.peakRssMb,
        'temp MB': s.pipeline.peakTempMb,
        'disk read MB': s.pipeline.diskReadMb,
        'API worst p95 ms': s.apiWorstP95Ms,
      },
    ]),
  ),
);
console.table(linear);
console.log(`full scale (${fullEncounters.toLocaleString('en-GB')} encounters, extrapolated): record ${result.fullScale.recordGb} GB, peak temp ${result.fullScale.peakTempGb} GB, warehouse ${result.fullScale.warehouseGb} GB`);
