/**
 * A real kill: the pipeline CLI (node itself, not a wrapper that would leave its child running) is
 * sent SIGKILL at several points of a run, from staging to the last table written, over the committed sample record. Each time the published warehouse must be
 * byte for byte the one before, and the next run must take over the dead run's lock, clear its
 * temporary and spill folders and publish.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, KEY_B, listFiles, repoRoot, tempDir, writeKey } from './helpers.ts';

afterAll(cleanTempDirs);

const SAMPLE = path.join(repoRoot, 'data-samples/sample-record');
const CLI = path.join(repoRoot, 'pipelines/ingest/cli.ts');
const snapshot = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(warehouse: string, key: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--input', SAMPLE, '--warehouse', warehouse, '--key-file', key, '--as-of', '2024-07-01', '--quiet', '--threads', '2'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exit };
}

/** Kill points: each waits for a state of the run's temporary folder (or a time), then SIGKILL. */
type Point = { name: string; ready: (tmp: string) => boolean };
const has = (tmp: string, ...parts: string[]) => existsSync(path.join(tmp, ...parts));
const POINTS: Point[] = [
  { name: 'while staging (temporary folder just made)', ready: (tmp) => existsSync(tmp) },
  { name: 'mid-build (patients written, events not all)', ready: (tmp) => has(tmp, 'patients', 'data.parquet') },
  { name: 'after the events partitions', ready: (tmp) => has(tmp, 'events') && readdirSync(path.join(tmp, 'events')).length >= 5 },
  // The last step before the swap (quarantine, manifest) takes milliseconds: the forecasts folder
  // is the latest state a poll can catch reliably. The swap itself is covered in publish.test.ts.
  { name: 'with every table written, at the batch forecasts', ready: (tmp) => has(tmp, 'forecasts') },
];

describe('SIGKILL during a pipeline run', () => {
  it('leaves the previous warehouse byte-identical at every kill point, and the next run recovers', async () => {
    const root = tempDir('lhcre-kill-');
    const warehouse = path.join(root, 'warehouse');
    const keyA = writeKey(root);
    const keyB = writeKey(root, KEY_B);

    const first = await start(warehouse, keyA).exit;
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(warehouse);
    const keyIdA = JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')).keyId as string;

    const killedAt: string[] = [];
    for (const point of POINTS) {
      const run = start(warehouse, keyB);
      const tmp = `${warehouse}.tmp-${run.child.pid}`;
      let exited = false;
      void run.exit.then(() => (exited = true));
      const deadline = Date.now() + 120_000;
      while (!exited && !point.ready(tmp) && Date.now() < deadline) await sleep(2);
      expect(exited, `${point.name}: the run ended before the kill point`).toBe(false);
      run.child.kill('SIGKILL');
      const result = await run.exit;
      expect(result.signal).toBe('SIGKILL');
      killedAt.push(point.name);
      // Nothing of the killed run reached the published warehouse.
      expect(snapshot(warehouse), point.name).toEqual(before);
      expect(existsSync(`${warehouse}.lock`), `${point.name}: the dead run's lock is left behind`).toBe(true);
    }
    expect(killedAt).toHaveLength(POINTS.length);

    // The next run takes over the stale lock, clears the debris and publishes the new build.
    const last = await start(warehouse, keyB).exit;
    expect(last.code, last.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')) as { keyId: string; resources: Record<string, { read: number; loaded: number; rejected: number }> };
    expect(manifest.keyId).not.toBe(keyIdA);
    for (const r of Object.values(manifest.resources)) expect(r.read).toBe(r.loaded + r.rejected);
    const debris = readdirSync(root).filter((n) => /^warehouse\.(tmp-|spill-|prev$|lock$)/.test(n));
    expect(debris).toEqual([]);
  }, 300_000);
});
