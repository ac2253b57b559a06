import path from 'node:path';
import { Command } from 'commander';
import { verifyAuditChain } from './verify.ts';

const program = new Command()
  .name('tsx server/audit/verify-cli.ts')
  .description('Check the audit log hash chain: exits 0 if intact, 1 if an entry was edited, removed or reordered.')
  .requiredOption('--state-dir <dir>', 'the server state folder (holds audit/audit.jsonl and audit/head.json)');
program.parse();
const { stateDir } = program.opts<{ stateDir: string }>();
const dir = path.join(path.resolve(stateDir), 'audit');

try {
  const status = await verifyAuditChain(path.join(dir, 'audit.jsonl'), path.join(dir, 'head.json'));
  if (status.ok) {
    console.log(`audit chain intact: ${status.entries} entries, head ${status.headHash.slice(0, 16)}`);
    if (status.note) console.log(`note: ${status.note}`);
  } else {
    console.error(`audit chain BROKEN at line ${status.problem!.line}: ${status.problem!.reason} (${status.entries} good entries before it)`);
    process.exitCode = 1;
  }
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exitCode = 2;
}
