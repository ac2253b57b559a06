/**
 * API latency: p50/p95/p99 per dashboard request over sequential requests, then autocannon with
 * 32 connections for a bounded time per endpoint, at sample scale and at 1M patients.
 * BENCH_QUICK=1: fewer requests, 3 s runs, sample scale only; BENCH_API_SAMPLE_ONLY=1: full runs,
 * sample scale only. Writes bench/results/api.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ENDPOINTS, r1, sequential } from './api-requests.ts';
import { REPO_ROOT, largeRecord, serve, warehouseFor } from './api-setup.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const SEQUENTIAL = QUICK ? 60 : 300;
const SECONDS = QUICK ? 3 : 10;
const CONNECTIONS = 32;
const LARGE_PATIENTS = 1_000_000;
const TARGET_P95_MS = 50;

async function concurrent(url: string, token: string, p: string) {
  const r = await autocannon({ url: url + p, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: `Bearer ${token}` } });
  return {
    connections: CONNECTIONS,
    seconds: SECONDS,
    requests: r.requests.total,
    rps: r1(r.requests.average),
    p50: r.latency.p50,
    // autocannon's histogram reports p90 and p97.5, not p95: p95 lies between them.
    p90: r.latency.p90,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** `uncached`: every request runs its queries; `cached`: the server's in-memory result cache is on. */
async function benchScale(scale: string, warehouse: string, mode: 'uncached' | 'cached') {
  const server = await serve(warehouse, { cache: mode === 'cached' });
  const rows = [];
  try {
    for (const e of ENDPOINTS) {
      const seq = await sequential(server.url, server.token, e.path, SEQUENTIAL);
      const conc = await concurrent(server.url, server.token, e.path);
      rows.push({ endpoint: e.name, path: e.path, fastPath: e.fastPath, sequential: seq, concurrent: conc });
      console.log(
        `${scale.padEnd(6)} ${mode.padEnd(8)} ${e.name.padEnd(36)} seq p50 ${String(seq.p50).padStart(6)} p95 ${String(seq.p95).padStart(6)} p99 ${String(seq.p99).padStart(6)} ms | ` +
          `32 conns ${String(conc.rps).padStart(7)} req/s p50 ${String(conc.p50).padStart(5)} p90 ${String(conc.p90).padStart(5)} p97.5 ${String(conc.p97_5).padStart(5)} p99 ${String(conc.p99).padStart(5)} ms, errors ${conc.errors + conc.non2xx + seq.errors}`,
      );
    }
  } finally {
    await server.stop();
  }
  return rows;
}

const sampleRecord = path.join(REPO_ROOT, 'data-samples', 'sample-record');
const results: Record<string, unknown> = {};
console.log(`API bench: ${SEQUENTIAL} sequential requests per endpoint, then ${CONNECTIONS} connections for ${SECONDS} s (load average ${os.loadavg().map(r1).join(' ')})`);
const sampleWarehouse = warehouseFor('sample', sampleRecord);
results.sample = {
  warehouse: 'data-samples/sample-record',
  endpoints: await benchScale('sample', sampleWarehouse, 'uncached'),
  cachedEndpoints: await benchScale('sample', sampleWarehouse, 'cached'),
};
if (QUICK || process.env.BENCH_API_SAMPLE_ONLY === '1') {
  results.large = { skipped: QUICK ? 'BENCH_QUICK=1' : 'BENCH_API_SAMPLE_ONLY=1' };
} else {
  const rec = largeRecord(LARGE_PATIENTS);
  if ('skipped' in rec) {
    console.log(`large scale skipped: ${rec.skipped}`);
    results.large = { skipped: rec.skipped };
  } else {
    const largeWarehouse = warehouseFor('1m', rec.dir);
    results.large = {
      patients: LARGE_PATIENTS,
      endpoints: await benchScale('1M', largeWarehouse, 'uncached'),
      cachedEndpoints: await benchScale('1M', largeWarehouse, 'cached'),
    };
  }
}

type Row = { fastPath: boolean; sequential: { p95: number; errors: number }; concurrent: { errors: number; non2xx: number } };
const scales = Object.values(results) as { endpoints?: Row[]; cachedEndpoints?: Row[] }[];
const uncached = scales.flatMap((s) => s.endpoints ?? []);
const cached = scales.flatMap((s) => s.cachedEndpoints ?? []);
const worst = (rows: Row[]) => Math.max(...rows.filter((r) => r.fastPath).map((r) => r.sequential.p95));
const summary = {
  targetP95Ms: TARGET_P95_MS,
  worstFastPathP95MsUncached: worst(uncached),
  worstFastPathP95MsCached: worst(cached),
  fastPathP95UnderTargetUncached: worst(uncached) < TARGET_P95_MS,
  totalErrors: [...uncached, ...cached].reduce((s, r) => s + r.sequential.errors + r.concurrent.errors + r.concurrent.non2xx, 0),
};
console.log(`fast-path worst p95: uncached ${summary.worstFastPathP95MsUncached} ms, cached ${summary.worstFastPathP95MsCached} ms (target < ${TARGET_P95_MS}); errors ${summary.totalErrors}`);
mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(REPO_ROOT, 'bench', 'results', 'api.json'),
  JSON.stringify({ when: new Date().toISOString(), machine: { cpus: os.cpus().length, loadavg: os.loadavg().map(r1), node: process.version }, quick: QUICK, summary, ...results }, null, 2) + '\n',
);
