/** Shared by the pipeline tests: temp folders, keys, a run with test defaults, Parquet readers. */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, type PipelineOptions, type RunHooks } from '../../pipelines/ingest/run.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const validFixture = path.join(repoRoot, 'test/pipeline/fixtures/valid');
export const badCorpus = path.join(repoRoot, 'test/fixtures/fhir-bad');
export const syntheaDir = path.resolve(repoRoot, '../shared/reference-data/fhir-synthetic');
export const AS_OF = '2024-01-01';
export const KEY_A = 'test-key-A-0123456789abcdef0123456789abcdef';
export const KEY_B = 'test-key-B-0123456789abcdef0123456789abcdef';

const made: string[] = [];

export function tempDir(prefix = 'lhcre-pipeline-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeKey(dir: string, key = KEY_A): string {
  const file = path.join(dir, `key-${key.slice(9, 10)}.txt`);
  writeFileSync(file, `${key}\n`);
  return file;
}

export function options(input: string, root: string, over: Partial<PipelineOptions> = {}): PipelineOptions {
  const warehouse = path.join(root, 'warehouse');
  return {
    input,
    warehouse,
    keyFile: over.keyFile ?? writeKey(root),
    optOut: path.join(input, 'national-data-opt-out.txt'),
    quarantine: `${warehouse}.quarantine`,
    policy: 'research',
    threads: 2,
    memoryLimit: '1GB',
    asOf: AS_OF,
    ...over,
  };
}

export async function run(input: string, root: string, over: Partial<PipelineOptions> = {}, hooks: RunHooks = {}) {
  return runPipeline(options(input, root, over), undefined, hooks);
}

/** Every file under `dir`, relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out;
}

export async function query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    return (await c.runAndReadAll(sql)).getRowObjectsJS() as T[];
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Every value of every column of a Parquet file, as text (for the identifier scan). */
export async function parquetAsText(file: string): Promise<string[]> {
  const rows = await query<Record<string, unknown>>(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
  return rows.flatMap((r) => Object.values(r).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))));
}
