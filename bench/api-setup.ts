import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { addUser } from '../server/auth/tokens.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const WORK = path.join(REPO_ROOT, 'test-output', 'bench-api');
const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

function run(args: string[]): void {
  console.log(`  $ tsx ${args.join(' ')}`);
  const r = spawnSync(tsx, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`tsx ${args[0]} failed (exit ${r.status ?? r.signal})`);
}

/** A warehouse for `record`, built with the real pipeline into WORK (reused while up to date). */
export function warehouseFor(name: string, record: string): string {
  mkdirSync(WORK, { recursive: true });
  const key = path.join(WORK, 'key');
  if (!existsSync(key)) writeFileSync(key, randomBytes(32).toString('hex'), { mode: 0o600 });
  const wh = path.join(WORK, `warehouse-${name}`);
  // The pipeline returns at once when the warehouse is up to date with these inputs, key and code.
  console.log(`  ${name} warehouse: pipeline (rebuilds only if inputs, key or code changed)`);
  run(['pipelines/ingest/cli.ts', '--input', record, '--warehouse', wh, '--key-file', key, '--quiet']);
  return wh;
}

/** The 1M-patient record, generated once into WORK; null with a reason when it cannot be. */
export function largeRecord(patients: number): { dir: string } | { skipped: string } {
  const dir = path.join(WORK, `record-${patients / 1_000_000}m`);
  if (existsSync(path.join(dir, 'Patient.000.ndjson.gz')) && existsSync(path.join(dir, 'national-data-opt-out.txt'))) return { dir };
  if (!existsSync(path.join(REPO_ROOT, 'pipelines/generate/cli.ts'))) return { skipped: 'pipelines/generate/cli.ts is not there' };
  console.log(`  generating ${patients} patients (once; cached in ${path.relative(REPO_ROOT, dir)})`);
  run(['pipelines/generate/cli.ts', '--out', dir, '--patients', String(patients), '--gzip', '--overwrite']);
  return { dir };
}

export interface ServerProcess {
  url: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `npm run serve` in its own process, so the load generator does not share its event loop. */
export async function serve(warehouse: string, options: { cache: boolean }): Promise<ServerProcess> {
  mkdirSync(WORK, { recursive: true });
  const authFile = path.join(WORK, 'auth.json');
  const token = await addUser(authFile, 'bench-planner', 'planner');
  const child = spawn(tsx, ['server/cli.ts', '--warehouse', warehouse, '--auth-config', authFile, '--port', '0', '--no-client', '--state-dir', path.join(WORK, 'state')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn', API_CACHE_ENTRIES: options.cache ? '500' : '0' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start within 120 s')), 120_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  return {
    url,
    token,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
