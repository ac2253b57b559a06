import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoRoot } from '../../domain/reference-data.ts';
import { parseYearMonth } from '../../pipelines/generate/calendar.ts';
import { describeFlagError, toGenerateOptions } from '../../pipelines/generate/options.ts';

const NOW = new Date('2025-01-15T12:00:00Z');
const messageOf = (flags: Record<string, unknown>): string => {
  try {
    toGenerateOptions(flags, NOW);
  } catch (err) {
    if (err instanceof z.ZodError) return describeFlagError(err);
    throw err;
  }
  return 'accepted';
};

describe('generate options', () => {
  it('defaults to 5,000 patients over July 2019 to June 2024, seed 1, gzip', () => {
    const o = toGenerateOptions({ out: 'x' }, NOW);
    expect(o.size).toEqual({ patients: 5000 });
    expect(o.fromMonth).toBe(parseYearMonth('2019-07'));
    expect(o.toMonth).toBe(parseYearMonth('2024-06'));
    expect(o.seed).toBe(1);
    expect(o.gzip).toBe(true);
    expect(toGenerateOptions({ out: 'x', gzip: false }, NOW).gzip).toBe(false);
  });

  it('reads --scale as a share of the population', () => {
    expect(toGenerateOptions({ out: 'x', scale: '0.001' }, NOW).size).toEqual({ scale: 0.001 });
  });

  it.each([
    [{ out: 'x', patients: '0' }, '--patients must be at least 1'],
    [{ out: 'x', patients: '12abc' }, '--patients must be a whole number'],
    [{ out: 'x', patients: '10', scale: '0.1' }, 'give --patients or --scale, not both'],
    [{ out: 'x', scale: '0' }, '--scale must be above 0'],
    [{ out: 'x', scale: '1.5' }, '--scale must be at most 1 (the whole population)'],
    [{ out: 'x', from: '2023-13' }, 'must be YYYY-MM'],
    [{ out: 'x', from: '2024-01', to: '2023-12' }, '--from must not be after --to'],
    [{ out: 'x', to: '2025-01' }, '--to must be before the current month (2025-01): no events in the future'],
    [{ out: 'x', seed: '-1' }, '--seed must be a whole number'],
    [{ out: 'x', colour: 'red' }, 'unknown option colour'],
  ])('rejects %j with a clear message', (flags, message) => {
    expect(messageOf(flags)).toBe(message);
  });
});

describe('generate CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhcre-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'pipelines/generate/cli.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

  it('exits 2 with one line and no stack trace on bad input', () => {
    const r = run('--out', dir, '--patients', '0');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('generate: --patients must be at least 1');
    const missing = run('--patients', '10');
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/--out/);
  });

  it('generates a small record and prints a one-line summary', () => {
    const r = run('--out', dir, '--patients', '40', '--from', '2024-01', '--to', '2024-03', '--seed', '3');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^generated 40 patients, [\d,]+ encounters, \d+ opted out; 3 files, [\d.]+ MB \([\d.]+ bytes an encounter\) in [\d.]+ s$/);
    // gzip by default
    expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson.gz')).sort()).toEqual(['Encounter.000.ndjson.gz', 'Patient.000.ndjson.gz']);
    const again = run('--out', dir, '--patients', '40');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds a generated record .*--overwrite/);
  });
});
