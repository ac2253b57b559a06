import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startServer } from './start.ts';
import { clientStaleness } from './demo/freshness.ts';
import { ensureDemoKey, ensureDemoUsers } from './demo/demo-files.ts';

/**
 * `npm start`: the whole product on this machine from the committed sample. Runs the pipeline
 * (which does nothing when the warehouse is up to date with the sample, key and code), builds the client when dist/ is stale,
 * makes demo users, then serves on 127.0.0.1.
 */
const demoDir = path.join(REPO_ROOT, '.demo');
const sampleDir = path.join(REPO_ROOT, 'data-samples', 'sample-record');
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

if (!existsSync(sampleDir)) fail(`the sample record ${path.relative(REPO_ROOT, sampleDir)}/ is missing (npm run generate writes it)`);

// The pipeline decides whether the warehouse is up to date (same inputs, key, code and options:
// its run id) and returns at once when it is; a warehouse from older code is rebuilt.
const key = ensureDemoKey(demoDir);
if (key.created) {
  console.log(`Created a local demo pseudonymisation key at ${path.relative(REPO_ROOT, key.file)} (mode 600, outside the warehouse).`);
  console.log('It is for this demo only: real deployments pass their own key with --key-file.');
}
run(tsx, ['pipelines/ingest/cli.ts', '--input', 'data-samples/sample-record', '--warehouse', 'warehouse', '--key-file', path.relative(REPO_ROOT, key.file), '--quiet']);

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
