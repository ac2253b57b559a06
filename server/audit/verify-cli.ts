import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { headsFromServerLog, isHead, type ExternalHead } from './anchors.ts';
import { verifyStateDir } from './verify.ts';

function head(value: string, previous: ExternalHead[] = []): ExternalHead[] {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(value);
  if (!m || !isHead({ seq: Number(m[1]), hash: m[2] })) throw new InvalidArgumentError('must be SEQ:HASH (a 64-hex sha256), e.g. 42:3f0c...');
  return [...previous, { seq: Number(m[1]), hash: m[2]!, source: `--expect-head ${m[1]}` }];
}
const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command()
  .name('npm run audit:verify --')
  .description(
    'Check the audit log: the hash chain, head.json, and every head recorded outside the log. Exit 0 if intact, ' +
      '1 if an entry was edited, removed, reordered, duplicated or forged, the log was truncated or rewritten, or a recorded head is not in it; 2 if it could not be checked.',
  )
  .requiredOption('--state-dir <dir>', 'the server state folder (holds audit/audit.jsonl and audit/head.json)')
  .option('--audit-anchor <file>', 'the anchor file the server wrote (default: AUDIT_ANCHOR_FILE, else <state-dir>/audit-anchors.jsonl); when named, it must exist')
  .option('--server-log <file>', "the server's pino log: every audit head in it must be in the audit log (repeatable)", collect)
  .option('--expect-head <seq:hash>', 'a head recorded elsewhere (a ticket, a note): the log must hold entry seq with this hash (repeatable)', head);
// A usage error is "could not check" (2), not "broken" (1).
program.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
program.parse();
const opts = program.opts<{ stateDir: string; auditAnchor?: string; serverLog?: string[]; expectHead?: ExternalHead[] }>();

try {
  const auditDir = path.join(path.resolve(opts.stateDir), 'audit');
  if (!existsSync(auditDir)) throw new Error(`no audit log folder at ${auditDir} (is --state-dir the server's state folder?)`);
  const named = opts.auditAnchor ?? (process.env.AUDIT_ANCHOR_FILE || undefined);
  const externalHeads = [...(opts.expectHead ?? [])];
  for (const f of opts.serverLog ?? []) externalHeads.push(...headsFromServerLog(readFileSync(f, 'utf8'), `the server log ${f}`));
  const status = await verifyStateDir(path.resolve(opts.stateDir), { anchorFile: named ? path.resolve(named) : undefined, requireAnchorFile: named !== undefined, externalHeads });
  if (status.ok) {
    console.log(`audit chain intact: ${status.entries} entries, head ${status.headHash.slice(0, 16)}, ${status.anchors ?? 0} recorded heads agree`);
    if (status.note) console.log(`note: ${status.note}`);
  } else {
    console.error(`audit chain BROKEN at line ${status.problem!.line}: ${status.problem!.reason} (${status.entries} entries verified before it)`);
    process.exitCode = 1;
  }
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exitCode = 2;
}
