/**
 * The disk check before a run: the estimate of the input's records, the needs summed per file
 * system, and a real refusal on a small tmpfs (`--temp-dir` on it) with one line and nothing lost.
 * Mounting a tmpfs needs root, which CI has; without it the last block fails saying so (it is not
 * skipped).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDisk, diskNeeds, estimateInputs, parseSize, STAGED_BYTES_PER_ENCOUNTER } from '../../pipelines/ingest/disk-preflight.ts';
import { PipelineError } from '../../pipelines/ingest/errors.ts';
import { discoverInputs } from '../../pipelines/ingest/inputs.ts';
import { cleanTempDirs, listFiles, repoRoot, tempDir, writeKey } from './helpers.ts';

const sample = path.join(repoRoot, 'data-samples/sample-record');
const mounted: string[] = [];

afterAll(() => {
  for (const m of mounted) spawnSync('umount', [m]);
  cleanTempDirs();
});

describe('estimate of the input', () => {
  it('puts the committed sample within 10% of its true record counts (from the gzip head alone)', async () => {
    const e = estimateInputs(await discoverInputs(sample));
    // true counts: 6,000 patients and 263,892 encounters (data-samples/sample-record/README.md)
    expect(e.records['Patient']! / 6000).toBeGreaterThan(0.9);
    expect(e.records['Patient']! / 6000).toBeLessThan(1.1);
    expect(e.records['Encounter']! / 263_892).toBeGreaterThan(0.9);
    expect(e.records['Encounter']! / 263_892).toBeLessThan(1.1);
    // about 153 MB of text in 5.3 MB of gzip
    expect(e.textBytes).toBeGreaterThan(120e6);
    expect(e.textBytes).toBeLessThan(200e6);
  });

  it('parses sizes as DuckDB does', () => {
    expect(parseSize('16GB')).toBe(16e9);
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('500 MB')).toBe(500e6);
    expect(parseSize('lots')).toBeNull();
  });
});

describe('checkDisk', () => {
  const e = { textBytes: 1e9, records: { Patient: 1e5, Encounter: 1e7 } };
  const dirs = { temp: '/t/stage', warehouse: '/w/wh', quarantine: '/w/q' };
  const needs = diskNeeds(e, dirs, 2e9);

  it('adds up the needs that share a file system, and passes when they fit', () => {
    expect(needs.find((n) => n.what === 'staged encounters')!.bytes).toBe(1e7 * STAGED_BYTES_PER_ENCOUNTER);
    const free = (dir: string) => ({ device: dir.startsWith('/t') ? 1 : 2, freeBytes: 3e9 });
    expect(() => checkDisk(needs, free)).not.toThrow();
  });

  it('refuses with exit 2 naming the file system, the need and the free space when the sum does not fit', () => {
    // all on one device: staging 0.24 GB + spill 2 GB + warehouse 0.17 GB + quarantine ... > 2.3 GB
    const free = () => ({ device: 1, freeBytes: 2.3e9 });
    let err: unknown = null;
    try {
      checkDisk(needs, free);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/^not enough free disk for this run on the file system of \/: it needs about 2\.\d GB there .*staged encounters 0\.24 GB.*DuckDB spill \(--max-temp-size\) 2\.0 GB.*and 2\.3 GB is free.*--temp-dir/);
    // the same needs split over two devices with that space each fit
    expect(() => checkDisk(needs, (dir) => ({ device: dir.startsWith('/t') ? 1 : 2, freeBytes: 2.3e9 }))).not.toThrow();
  });
});

describe('a run on a disk that is too small', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'pipelines/ingest/cli.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, LHCRE_KEY_FILE: '', TZ: 'UTC' } });

  function smallDisk(megabytes: number): string {
    const dir = tempDir('lhcre-small-disk-');
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`this test mounts a ${megabytes} MB tmpfs and needs root (CI runs as root): ${r.stderr.trim()}`);
    mounted.push(dir);
    return dir;
  }

  it('refuses with one line and exit 2, and the published warehouse and the small disk are as they were', () => {
    const root = tempDir();
    const key = writeKey(root);
    const warehouse = path.join(root, 'warehouse');
    const base = ['--input', sample, '--warehouse', warehouse, '--key-file', key, '--as-of', '2024-12-01'];
    const first = cli(base);
    expect(first.status, first.stderr).toBe(0);
    const before = Object.fromEntries(listFiles(warehouse).map((f) => [f, readFileSync(path.join(warehouse, f)).toString('base64')]));

    const disk = smallDisk(8);
    const refused = cli([...base, '--force', '--temp-dir', disk, '--max-temp-size', '1GB', '--quiet']);
    expect(refused.status).toBe(2);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^pipeline: not enough free disk for this run on the file system of ${disk}: it needs about 1\\.0 GB there \\(staged encounters 0\\.0\\d GB, DuckDB spill \\(--max-temp-size\\) 1\\.0 GB\\) and 0\\.01 GB is free`));
    // nothing lost, nothing left behind
    const after = Object.fromEntries(listFiles(warehouse).map((f) => [f, readFileSync(path.join(warehouse, f)).toString('base64')]));
    expect(after).toEqual(before);
    expect(readdirSync(disk)).toEqual([]);
    expect(readdirSync(root).filter((n) => n.includes('.tmp-') || n.includes('.spill-') || n.endsWith('.lock'))).toEqual([]);
  });

  it('runs with the staging and a bounded spill on another disk when they fit there', () => {
    const root = tempDir();
    const key = writeKey(root);
    const warehouse = path.join(root, 'warehouse');
    const disk = smallDisk(64);
    mkdirSync(path.join(disk, 'scratch'));
    const r = cli(['--input', sample, '--warehouse', warehouse, '--key-file', key, '--as-of', '2024-12-01', '--temp-dir', path.join(disk, 'scratch'), '--max-temp-size', '32MB', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(warehouse, 'manifest.json'))).toBe(true);
    // the run's private folder on the small disk is gone, and nothing was put beside the warehouse
    expect(readdirSync(path.join(disk, 'scratch'))).toEqual([]);
    expect(readdirSync(root).filter((n) => n.includes('.spill-'))).toEqual([]);
    const m = JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')) as { resources: { Encounter: { loaded: number } } };
    expect(m.resources.Encounter.loaded).toBe(263_892);
  });
});
