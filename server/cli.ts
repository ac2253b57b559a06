import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { REPO_ROOT, startServer } from './start.ts';

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0-65535');
  return n;
}

const program = new Command()
  .name('npm run serve --')
  .description('Serve a warehouse the pipeline wrote, or the union of several (one per exemplar): the API on 127.0.0.1 and the built client (dist/).')
  .requiredOption('--warehouse <dir>', 'warehouse folder (manifest.json, rollups/, population/, ...); repeat it to serve the union of regional warehouses, each region in one of them', (dir: string, dirs: string[] | undefined) => [...(dirs ?? []), dir])
  .option('--port <port>', 'port (default: PORT or 8080)', portNumber)
  .option('--auth-config <file>', 'users and hashed tokens (default: AUTH_CONFIG); create with npm run tokens')
  .option('--state-dir <dir>', 'where exports and the audit log are kept (default: .state/)')
  .option('--audit-anchor <file>', "where the audit log's head is anchored on start, every AUDIT_HEAD_INTERVAL_MS and on shutdown; put it on another disk (default: AUDIT_ANCHOR_FILE, else <state-dir>/audit-anchors.jsonl)")
  .option('--no-client', 'API only, even if dist/ exists');

program.parse();
const opts = program.opts<{ warehouse: string[]; port?: number; authConfig?: string; stateDir?: string; auditAnchor?: string; client: boolean }>();

const authConfig = opts.authConfig ?? process.env.AUTH_CONFIG;
if (!authConfig) {
  console.error('error: no auth config: pass --auth-config FILE or set AUTH_CONFIG (create users with npm run tokens)');
  process.exit(2);
}
let port = opts.port ?? 8080;
if (opts.port === undefined && process.env.PORT) {
  try {
    port = portNumber(process.env.PORT);
  } catch (e) {
    console.error(`error: PORT=${JSON.stringify(process.env.PORT.slice(0, 20))} ${(e as Error).message}`);
    process.exit(2);
  }
}
const dist = path.join(REPO_ROOT, 'dist');

try {
  const running = await startServer({
    warehouseDir: opts.warehouse,
    auth: authConfig,
    port,
    staticDir: opts.client && existsSync(path.join(dist, 'index.html')) ? dist : null,
    stateDir: opts.stateDir,
    auditAnchorFile: opts.auditAnchor,
  });
  const w = running.ctx.warehouse;
  if (w.members.length === 1) console.log(`Serving ${w.members[0]!.dir} (run ${w.runId ?? 'unknown'}, ${w.period.from} to ${w.period.to}) at ${running.url}/`);
  else console.log(`Serving the union of ${w.members.length} warehouses (${w.period.from} to ${w.period.to}, the months all of them cover) at ${running.url}/\n${w.members.map((m) => `  ${m.label}: ${m.dir} (run ${m.runId ?? 'unknown'}, ${m.period.from} to ${m.period.to})`).join('\n')}`);
  if (!running.ctx.config.staticDir) console.log('(no client: run `npm run build` to serve the dashboard too)');
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
}
