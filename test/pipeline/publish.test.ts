/** Atomic publication, crash recovery and skipping unchanged work. */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prevDir } from '../../pipelines/ingest/publish.ts';
import { badCorpus, cleanTempDirs, listFiles, run, tempDir, validFixture } from './helpers.ts';

afterAll(cleanTempDirs);

const snapshot = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));

describe('publishing', () => {
  it('a failure after the build, before publishing, leaves the previous warehouse exactly as it was', async () => {
    const root = tempDir();
    const first = await run(validFixture, root);
    const warehouse = path.join(root, 'warehouse');
    const before = snapshot(warehouse);
    await expect(
      run(badCorpus, root, { optOut: path.join(badCorpus, 'national-data-opt-out.txt') }, {
        afterBuild: (tmp) => {
          expect(existsSync(path.join(tmp, 'patients', 'data.parquet'))).toBe(true);
          throw new Error('simulated crash mid-build');
        },
      }),
    ).rejects.toThrow('simulated crash mid-build');
    expect(snapshot(warehouse)).toEqual(before);
    expect(JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')).runId).toBe(first.manifest.runId);
    expect(listFiles(root).some((f) => f.includes('.tmp-') || f.includes('.spill-'))).toBe(false);
  });

  it('a crash between the two renames is repaired by the next run, which finds the old warehouse', async () => {
    const root = tempDir();
    const first = await run(validFixture, root);
    const warehouse = path.join(root, 'warehouse');
    const before = snapshot(warehouse);
    await expect(run(badCorpus, root, {}, { beforeSwap: () => { throw new Error('killed between renames'); } })).rejects.toThrow('killed between renames');
    expect(existsSync(warehouse)).toBe(false);
    expect(existsSync(prevDir(warehouse))).toBe(true);
    // Re-running the first input: recovery puts the old warehouse back, then it is up to date.
    const again = await run(validFixture, root);
    expect(again.status).toBe('up-to-date');
    expect(snapshot(warehouse)).toEqual(before);
    expect(again.manifest.runId).toBe(first.manifest.runId);
  });

  it('skips the work when inputs, key and code are unchanged, and rebuilds when an input changes', async () => {
    const root = tempDir();
    const input = path.join(root, 'input');
    cpSync(validFixture, input, { recursive: true });
    expect((await run(input, root)).status).toBe('published');
    expect((await run(input, root)).status).toBe('up-to-date');
    expect((await run(input, root, { force: true })).status).toBe('published');
    writeFileSync(path.join(input, 'national-data-opt-out.txt'), '9990000026\n');
    const changed = await run(input, root);
    expect(changed.status).toBe('published');
    expect(changed.manifest.optOut.listed).toBe(1);
  });

  it('refuses a quarantine folder inside the warehouse', async () => {
    const root = tempDir();
    await expect(run(validFixture, root, { quarantine: path.join(root, 'warehouse', 'q') })).rejects.toThrow(/quarantine folder must be outside the warehouse/);
  });
});
