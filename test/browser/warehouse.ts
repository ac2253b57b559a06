import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The warehouse the browser tests serve: the pipeline's output over data-samples/sample-record
 * (all five regions, five years) when both exist, else the server's small fixture warehouse.
 */
export async function buildWarehouse(dir: string): Promise<'sample' | 'fixture'> {
  const sample = path.join(REPO_ROOT, 'data-samples/sample-record');
  const cli = path.join(REPO_ROOT, 'pipelines/ingest/cli.ts');
  if (!existsSync(sample) || !existsSync(cli)) {
    await buildFixtureWarehouse(dir);
    return 'fixture';
  }
  const keyFile = `${dir}.key`;
  await writeFile(keyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, '--input', sample, '--warehouse', dir, '--key-file', keyFile], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LOG_LEVEL: 'warn' },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`pipeline failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  return 'sample';
}
