/**
 * A record of several shards: the same bytes on one worker thread or two, ids unique across
 * shards, and the patients themselves (their Patient lines, their encounters but for the ids)
 * exactly those of the same record generated as one shard.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../domain/reference-data.ts';
import { runPipeline } from '../../pipelines/ingest/run.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lhcre-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = ['--patients', '2500', '--from', '2023-01', '--to', '2023-06', '--seed', '5'];
const gen = (out: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'pipelines/generate/cli.ts'), '--out', path.join(dir, out), ...base, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
};
const lines = (out: string, type: string) =>
  readdirSync(path.join(dir, out))
    .filter((f) => f.startsWith(`${type}.`))
    .sort()
    .flatMap((f) => gunzipSync(readFileSync(path.join(dir, out, f))).toString('utf8').split('\n').filter(Boolean));

beforeAll(() => {
  gen('two', '--patients-per-shard', '1000', '--workers', '2');
  gen('one', '--patients-per-shard', '1000', '--workers', '1');
  gen('whole'); // 2,500 patients: a single shard
}, 240_000);

describe('sharded generation', () => {
  it('writes each shard its own files, byte-identical whatever the number of workers', () => {
    const files = readdirSync(path.join(dir, 'two')).sort();
    expect(files).toEqual(readdirSync(path.join(dir, 'one')).sort());
    expect(files.filter((f) => f.startsWith('Patient.'))).toEqual(['Patient.00.000.ndjson.gz', 'Patient.01.000.ndjson.gz', 'Patient.02.000.ndjson.gz']);
    for (const f of files) expect(readFileSync(path.join(dir, 'two', f)).equals(readFileSync(path.join(dir, 'one', f))), f).toBe(true);
  });

  it('has the same patients, opt-outs and encounters (ids aside) as the record generated as one shard', () => {
    expect(lines('two', 'Patient')).toEqual(lines('whole', 'Patient'));
    expect(readFileSync(path.join(dir, 'two', 'national-data-opt-out.txt'), 'utf8')).toBe(readFileSync(path.join(dir, 'whole', 'national-data-opt-out.txt'), 'utf8'));
    const noId = (l: string) => l.replace(/"id":"e-\d+"/, '"id":"e"');
    const sharded = lines('two', 'Encounter');
    expect(sharded.map(noId)).toEqual(lines('whole', 'Encounter').map(noId));
    const ids = sharded.map((l) => /"id":"(e-\d+)"/.exec(l)![1]);
    expect(new Set(ids).size).toBe(ids.length);
    // shard 2's ids start at 2 x 10^8 + 1
    expect(ids).toContain('e-200000001');
  });

  it('loads through the pipeline with every record accounted for', async () => {
    const key = path.join(dir, 'key');
    writeFileSync(key, 'shard-test-key-0123456789abcdef0123456789abcdef\n');
    const r = await runPipeline({
      input: path.join(dir, 'two'), warehouse: path.join(dir, 'wh'), keyFile: key, optOut: path.join(dir, 'two', 'national-data-opt-out.txt'),
      quarantine: path.join(dir, 'wh.quarantine'), policy: 'research', threads: 2, memoryLimit: '1GB', asOf: '2024-01-01',
    });
    expect(r.status).toBe('published');
    if (r.status !== 'published') return;
    expect(r.manifest.resources['Patient']).toMatchObject({ read: 2500, loaded: 2500, rejected: 0 });
    expect(r.manifest.resources['Encounter']!.loaded).toBe(lines('two', 'Encounter').length);
  });
});
