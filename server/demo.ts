import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startServer } from './start.ts';
import { clientStaleness } from './demo/freshness.ts';
import { ensureDemoKey, ensureDemoUsers } from './demo/demo-files.ts';

/**
 * `npm start`: the whole product on this machine. The demo record is 1% of the five regions'
 * population (about 250,000 patients and 11 million encounters: enough for real seasonality and
 * real differences between areas), generated on first start from the committed seed into
 * `.demo/record-1pct/` (about 45 s, a progress bar on a terminal); `DEMO_RECORD=sample` serves the
 * committed 6,000-patient sample instead (what the tests use). Then runs the pipeline (which does
 * nothing when the warehouse is up to date with the record, key and code; the first build of the
 * 1% record takes about 80 s), builds the client when dist/ is stale, makes demo users, and
 * serves on 127.0.0.1.
 */
const demoDir = path.join(REPO_ROOT, '.demo');
const DEMO_SCALE = '0.01';
/** The demo record's seed: committed, so every machine generates the same bytes. */
const DEMO_SEED = '20190701';
const warehouseDir = path.join(REPO_ROOT, 'warehouse');
const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const vite = path.join(REPO_ROOT, 'node_modules', '.bin', 'vite');

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

function run(cmd: string, args: string[]): void {
  console.log(`$ ${path.relative(REPO_ROOT, cmd)} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail(`${path.basename(cmd)} ${args[0] ?? ''} failed (exit ${r.status ?? r.signal})`);
}

const demoRecord = process.env.DEMO_RECORD ?? '1pct';
if (demoRecord !== '1pct' && demoRecord !== 'sample') fail(`DEMO_RECORD must be 1pct or sample, got ${demoRecord}`);
const sampleDir = demoRecord === 'sample' ? path.join(REPO_ROOT, 'data-samples', 'sample-record') : path.join(demoDir, 'record-1pct');
if (demoRecord === 'sample') {
  if (!existsSync(sampleDir)) fail(`the sample record ${path.relative(REPO_ROOT, sampleDir)}/ is missing`);
} else if (!existsSync(path.join(sampleDir, '.complete'))) {
  // A record cut short (the generator was stopped) is generated again from the start.
  console.log(`Generating the demo record: ${Number(DEMO_SCALE) * 100}% of the population (seed ${DEMO_SEED}), once, into ${path.relative(REPO_ROOT, sampleDir)}/ (about 45 s) ...`);
  rmSync(sampleDir, { recursive: true, force: true });
  run(tsx, ['pipelines/generate/cli.ts', '--out', path.relative(REPO_ROOT, sampleDir), '--scale', DEMO_SCALE, '--seed', DEMO_SEED]);
  writeFileSync(path.join(sampleDir, '.complete'), `scale ${DEMO_SCALE}, seed ${DEMO_SEED}\n`);
}

// The pipeline decides whether the warehouse is up to date (same inputs, key, code and options:
// its run id) and returns at once when it is; a warehouse from older code is rebuilt.
const key = ensureDemoKey(demoDir);
if (key.created) {
  console.log(`Created a local demo pseudonymisation key at ${path.relative(REPO_ROOT, key.file)} (mode 600, outside the warehouse).`);
  console.log('It is for this demo only: real deployments pass their own key with --key-file.');
}
console.log(`Building the warehouse from ${path.relative(REPO_ROOT, sampleDir)}/ (returns at once when it is up to date) ...`);
run(tsx, ['pipelines/ingest/cli.ts', '--input', path.relative(REPO_ROOT, sampleDir), '--warehouse', 'warehouse', '--key-file', path.relative(REPO_ROOT, key.file)]);

const clientStale = clientStaleness(REPO_ROOT);
if (clientStale && existsSync(path.join(REPO_ROOT, 'client', 'index.html'))) {
  console.log(`Building the client (${clientStale})...`);
  run(vite, ['build', '--logLevel', 'warn']);
}

const users = ensureDemoUsers(demoDir);
const port = process.env.PORT ? Number(process.env.PORT) : 8080;
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be an integer 0-65535, got ${process.env.PORT}`);

try {
  const dist = path.join(REPO_ROOT, 'dist');
  const running = await startServer({
    warehouseDir,
    auth: users.authFile,
    port,
    staticDir: existsSync(path.join(dist, 'index.html')) ? dist : null,
    stateDir: path.join(demoDir, 'state'),
  });
  console.log(`\nlhcre-planner is running at ${running.url}/`);
  console.log(`Demo users (one per role: planner, commissioner, researcher, admin): tokens in ${path.relative(REPO_ROOT, users.tokensFile)} (mode 600)${users.created ? ', newly created' : ''}.`);
  console.log('Paste a token into the sign-in box, or: curl -H "Authorization: Bearer <token>" ' + `${running.url}/api/meta`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  fail((e as Error).message);
}
