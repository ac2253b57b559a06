/**
 * Where the quarantine goes and who may read it. It holds NHS numbers, so it must really be
 * outside the warehouse (symbolic links resolved: a link into the warehouse used to pass the check
 * and the rejects were then deleted by the next publish) and owner-only (folders 0700, files 0600,
 * whatever the umask; they used to be 0755/0644).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../../pipelines/ingest/errors.ts';
import { realPathOf } from '../../pipelines/ingest/real-path.ts';
import { badCorpus, cleanTempDirs, listFiles, repoRoot, run, tempDir, validFixture, writeKey } from './helpers.ts';

afterAll(cleanTempDirs);

const mode = (p: string) => statSync(p).mode & 0o777;
const snapshot = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));
const badOptOut = path.join(badCorpus, 'national-data-opt-out.txt');

/** The run's failure, which must be a usage error (exit 2) saying why. */
async function refusal(p: Promise<unknown>): Promise<PipelineError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PipelineError);
  expect((e as PipelineError).exitCode).toBe(2);
  return e as PipelineError;
}

function cli(args: string[], umask?: string) {
  const node = [process.execPath, '--import', 'tsx', path.join(repoRoot, 'pipelines/ingest/cli.ts'), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${umask ? `umask ${umask}; ` : ''}exec ${node}`], { cwd: repoRoot, env: { ...process.env, LHCRE_KEY_FILE: '', TZ: 'UTC' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('realPathOf', () => {
  it('resolves links in existing ancestors of a path that does not exist yet, and dangling links to their targets', () => {
    const root = realPathOf(tempDir());
    mkdirSync(path.join(root, 'real'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    expect(realPathOf(path.join(root, 'link'))).toBe(path.join(root, 'real'));
    expect(realPathOf(path.join(root, 'link', 'a', 'b'))).toBe(path.join(root, 'real', 'a', 'b'));
    symlinkSync('real/not-yet', path.join(root, 'dangling')); // relative target
    expect(realPathOf(path.join(root, 'dangling'))).toBe(path.join(root, 'real', 'not-yet'));
    expect(realPathOf(path.join(root, 'dangling', 'x'))).toBe(path.join(root, 'real', 'not-yet', 'x'));
    symlinkSync(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    symlinkSync(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    expect(() => realPathOf(path.join(root, 'loop-a', 'q'))).toThrow(/too many symbolic links/);
  });
});

describe('the quarantine must really be outside the warehouse', () => {
  it('refuses --quarantine through a symlink into the existing warehouse (exit 2), and the warehouse stays as it was', async () => {
    const root = tempDir();
    const warehouse = path.join(root, 'warehouse');
    await run(validFixture, root);
    const before = snapshot(warehouse);
    symlinkSync(path.join(warehouse, 'events'), path.join(root, 'q-into'));
    symlinkSync(warehouse, path.join(root, 'q-is'));
    for (const quarantine of [path.join(root, 'q-into'), path.join(root, 'q-is'), path.join(root, 'q-into', 'deeper', 'not-yet')]) {
      const e = await refusal(run(badCorpus, root, { quarantine, optOut: badOptOut, force: true }));
      expect(e.message).toMatch(/^the quarantine folder must be outside the warehouse \(got .*, which is .* once symbolic links are resolved; the warehouse is /);
    }
    expect(snapshot(warehouse)).toEqual(before);
  });

  it('refuses a dangling symlink that will lead into the warehouse, before the warehouse exists', async () => {
    const root = tempDir();
    symlinkSync(path.join(root, 'warehouse', 'rejects'), path.join(root, 'q'));
    const e = await refusal(run(validFixture, root, { quarantine: path.join(root, 'q') }));
    expect(e.message).toContain('must be outside the warehouse');
    expect(existsSync(path.join(root, 'warehouse'))).toBe(false);
  });

  it('resolves a symlinked --warehouse too: a quarantine inside its target is refused', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'disk', 'wh'), { recursive: true });
    symlinkSync(path.join(root, 'disk', 'wh'), path.join(root, 'wh-link'));
    const e = await refusal(run(validFixture, root, { warehouse: path.join(root, 'wh-link'), quarantine: path.join(root, 'disk', 'wh', 'q') }));
    expect(e.message).toContain('must be outside the warehouse');
  });

  it("refuses a quarantine containing the warehouse, or inside the warehouse's side folders", async () => {
    const root = tempDir();
    const warehouse = path.join(root, 'data', 'warehouse');
    expect((await refusal(run(validFixture, root, { warehouse, quarantine: path.join(root, 'data') }))).message).toContain('must not contain the warehouse');
    for (const side of ['warehouse.prev', 'warehouse.tmp-1', 'warehouse.spill-1']) {
      const e = await refusal(run(validFixture, root, { warehouse, quarantine: path.join(root, 'data', side, 'q') }));
      expect(e.message).toContain("must be outside the warehouse's side folders");
    }
  });

  it('publishes through a symlinked --warehouse into its target: the link stays a link, re-runs and rejects keep working', async () => {
    const root = tempDir();
    const real = path.join(root, 'disk', 'wh');
    const link = path.join(root, 'wh-link');
    mkdirSync(path.dirname(real), { recursive: true });
    await run(validFixture, root, { warehouse: real, quarantine: path.join(root, 'q') });
    symlinkSync(real, link);
    const again = await run(badCorpus, root, { warehouse: link, quarantine: path.join(root, 'q'), optOut: badOptOut });
    expect(again.status).toBe('published');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(real, 'manifest.json'), 'utf8')).runId).toBe(again.manifest.runId);
    // the lock and the side folders are beside the real folder, and nothing is left over
    expect(readdirSync(path.join(root, 'disk')).sort()).toEqual(['wh']);
    expect(readdirSync(root).sort()).toEqual(['disk', 'key-A.txt', 'q', 'wh-link']);
    expect(readdirSync(again.manifest.quarantine.folder).length).toBeGreaterThan(0);
  });

  it('the CLI says so in one line and exits 2', async () => {
    const root = tempDir();
    const warehouse = path.join(root, 'wh');
    mkdirSync(warehouse);
    symlinkSync(warehouse, path.join(root, 'q'));
    const r = cli(['--input', validFixture, '--warehouse', warehouse, '--quarantine', path.join(root, 'q'), '--key-file', writeKey(root), '--as-of', '2024-01-01']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      `pipeline: the quarantine folder must be outside the warehouse (got ${path.join(root, 'q')}, which is ${realPathOf(warehouse)} once symbolic links are resolved; the warehouse is ${realPathOf(warehouse)})`,
    );
  });
});

describe('the quarantine is owner-only', () => {
  const expectPrivate = (quarantine: string, runFolder: string) => {
    expect(mode(quarantine).toString(8)).toBe('700');
    expect(mode(runFolder).toString(8)).toBe('700');
    const files = readdirSync(runFolder);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(`${f} ${mode(path.join(runFolder, f)).toString(8)}`).toBe(`${f} 600`);
  };

  it('folders 0700 and files 0600 even with umask 000', async () => {
    const root = tempDir();
    const old = process.umask(0o000);
    try {
      const r = await run(badCorpus, root, { optOut: badOptOut });
      expectPrivate(`${path.join(root, 'warehouse')}.quarantine`, r.manifest.quarantine.folder);
    } finally {
      process.umask(old);
    }
  });

  it('a pre-existing quarantine folder with loose permissions is made private, its old run folders removed', async () => {
    const root = tempDir();
    const quarantine = path.join(root, 'rejects');
    mkdirSync(path.join(quarantine, '0123456789abcdef'), { recursive: true });
    writeFileSync(path.join(quarantine, '0123456789abcdef', 'Patient.000.rejects.ndjson'), '{}\n', { mode: 0o644 });
    writeFileSync(path.join(quarantine, 'README.txt'), 'not ours\n');
    chmodSync(quarantine, 0o755);
    const r = await run(badCorpus, root, { optOut: badOptOut, quarantine });
    expectPrivate(quarantine, r.manifest.quarantine.folder);
    expect(readdirSync(quarantine).sort()).toEqual(['README.txt', r.manifest.runId].sort());
  });

  it('refuses (exit 2) a quarantine that cannot be made a private folder', async () => {
    const root = tempDir();
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    const e = await refusal(run(validFixture, root, { quarantine: file }));
    expect(e.message).toMatch(/^cannot make the quarantine folder .*a-file a private folder \(mode 700\): E/);
  });

  it('the CLI under umask 000 writes the same modes', () => {
    const root = tempDir();
    const warehouse = path.join(root, 'wh');
    const r = cli(['--input', badCorpus, '--warehouse', warehouse, '--opt-out', badOptOut, '--key-file', writeKey(root), '--as-of', '2024-01-01', '--quiet'], '000');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const runId = JSON.parse(readFileSync(path.join(warehouse, 'manifest.json'), 'utf8')).runId as string;
    expectPrivate(`${warehouse}.quarantine`, path.join(`${warehouse}.quarantine`, runId));
  });
});
