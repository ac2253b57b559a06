/** The command line: one clear line and a non-zero status for what stops a run; never a stack trace. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, repoRoot, tempDir, validFixture, writeKey } from './helpers.ts';

afterAll(cleanTempDirs);

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'pipelines/ingest/cli.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, LHCRE_KEY_FILE: '', ...env, TZ: 'UTC' },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);

describe('pipeline CLI', () => {
  const root = tempDir();
  const warehouse = path.join(root, 'wh');

  it('--help lists the options and exits 0', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const o of ['--input', '--warehouse', '--key-file', '--opt-out', '--quarantine', '--opt-out-policy', '--threads', '--memory-limit', '--as-of']) expect(r.stdout).toContain(o);
  });

  it('refuses to run without a key, exit 2', () => {
    const r = cli(['--input', validFixture, '--warehouse', warehouse]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('pipeline: no pseudonymisation key: pass --key-file FILE or set LHCRE_KEY_FILE (the pipeline never runs without one)');
  });

  it('an unreadable key file, exit 2', () => {
    const r = cli(['--input', validFixture, '--warehouse', warehouse, '--key-file', path.join(root, 'nope.key')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`pipeline: cannot read the key file ${path.join(root, 'nope.key')} (ENOENT)`);
    if (process.getuid?.() !== 0) {
      const locked = path.join(root, 'locked.key');
      writeFileSync(locked, 'x'.repeat(40));
      chmodSync(locked, 0o000);
      expect(cli(['--input', validFixture, '--warehouse', warehouse, '--key-file', locked]).stderr).toMatch(/EACCES/);
    }
  });

  it('a missing input folder, exit 2', () => {
    const r = cli(['--input', path.join(root, 'no-such-dir'), '--warehouse', warehouse, '--key-file', writeKey(root)]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`pipeline: cannot read the input folder ${path.join(root, 'no-such-dir')} (it does not exist)`);
  });

  it('a folder without Patient files, and Patient files with no records, exit 2', () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'Encounter.000.ndjson'), '{}\n');
    let r = cli(['--input', empty, '--warehouse', warehouse, '--key-file', writeKey(root)]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`pipeline: no Patient*.ndjson file in ${empty}: nothing to load`);
    writeFileSync(path.join(empty, 'Patient.000.ndjson'), '');
    writeFileSync(path.join(empty, 'national-data-opt-out.txt'), '');
    r = cli(['--input', empty, '--warehouse', warehouse, '--key-file', writeKey(root)]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^pipeline: the Patient files in .* hold no records$/m);
  });

  it('a missing opt-out list is not taken to mean "nobody opted out", exit 2', () => {
    const input = path.join(root, 'no-optout');
    mkdirSync(input);
    writeFileSync(path.join(input, 'Patient.000.ndjson'), '{}\n');
    const r = cli(['--input', input, '--warehouse', warehouse, '--key-file', writeKey(root)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no opt-out list at');
  });

  it('bad flag values name the flag, exit 2', () => {
    const key = writeKey(root);
    for (const [flag, value, msg] of [
      ['--as-of', '2024-02-30', '--as-of is not a calendar date'],
      ['--threads', '0', '--threads'],
      ['--opt-out-policy', 'none', '--opt-out-policy'],
      ['--memory-limit', 'lots', "--memory-limit must look like '4GB'"],
    ] as const) {
      const r = cli(['--input', validFixture, '--warehouse', warehouse, '--key-file', key, flag, value]);
      expect(r.status, flag).toBe(2);
      expect(r.stderr, flag).toContain(msg);
      noStack(r.stderr);
    }
  });

  it('runs with the key from LHCRE_KEY_FILE, prints a summary, then "up to date"', () => {
    const env = { LHCRE_KEY_FILE: writeKey(root) };
    const args = ['--input', validFixture, '--warehouse', warehouse, '--as-of', '2024-01-01', '--quiet'];
    const first = cli(args, env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^published .*wh \(run [0-9a-f]{16}, key [0-9a-f]{16}, period 2019-01 to 2021-06\)/);
    expect(first.stdout).toMatch(/Patient\s+read\s+5\s+loaded\s+5\s+rejected\s+0/);
    const second = cli(args, env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^up to date: run [0-9a-f]{16}/);
  });
});
