/**
 * `npm run generate -- --out DIR [--patients N | --scale F] [--seed S] [--from YYYY-MM] [--to YYYY-MM] [--no-gzip] [--conditions]`
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { generateRecord, GenerateError, type GenerateSummary } from './generate-record.ts';
import { DEFAULT_FROM, DEFAULT_PATIENTS, DEFAULT_TO, describeFlagError, toGenerateOptions } from './options.ts';

function fail(message: string): never {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(2);
}

process.on('unhandledRejection', (err) => fail(err instanceof Error ? err.message : String(err)));

const program = new Command()
  .name('generate')
  .description('Write a synthetic shared care record for the five LHCRE regions as FHIR R4 Bulk Data NDJSON (Patient, Encounter, optional Condition) plus national-data-opt-out.txt.')
  .requiredOption('--out <dir>', 'output folder (created if missing)')
  .option('--patients <n>', `number of patients (default ${DEFAULT_PATIENTS})`)
  .option('--scale <f>', 'share of the whole population instead of --patients: 1 = all 23.55 million residents plus the babies born in the period')
  .option('--seed <s>', 'random seed; the same seed and options give byte-identical files', '1')
  .option('--from <yyyy-mm>', 'first month of encounters', DEFAULT_FROM)
  .option('--to <yyyy-mm>', 'last month of encounters', DEFAULT_TO)
  .option('--gzip', 'write .ndjson.gz files (the default: about 21 bytes an encounter, against 580 as plain text)')
  .option('--no-gzip', 'write plain .ndjson files')
  .option('--conditions', 'also write Condition resources (long-term conditions)')
  .option('--overwrite', 'replace a record previously generated into --out')
  .option('--patients-per-shard <n>', 'shard size (default 1,000,000; smaller for tests): part of what the bytes depend on')
  .option('--workers <n>', 'worker threads for a record of over a million patients (generated in shards of a million; the bytes do not depend on the number of workers); default: 2, or 1 on a one-core machine')
  .showHelpAfterError(false)
  .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `generate: ${s.slice(7)}` : s) })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse();

const summaryLine = (s: GenerateSummary) =>
  `generated ${s.patients.toLocaleString('en-GB')} patients, ${s.encounters.toLocaleString('en-GB')} encounters` +
  (s.conditions > 0 ? `, ${s.conditions.toLocaleString('en-GB')} conditions` : '') +
  `, ${s.optedOut.toLocaleString('en-GB')} opted out; ${s.files.length} files, ${(s.bytes / 1e6).toFixed(1)} MB` +
  (s.encounters > 0 ? ` (${(s.bytes / s.encounters).toFixed(1)} bytes an encounter)` : '') +
  ` in ${s.seconds.toFixed(1)} s`;

async function main(): Promise<void> {
  let options;
  try {
    options = toGenerateOptions(program.opts(), new Date());
  } catch (err) {
    if (err instanceof z.ZodError) fail(describeFlagError(err));
    throw err;
  }
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'patients [{bar}] {percentage}% {value}/{total} eta {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  let started = false;
  const summary = await generateRecord(options, (done, total) => {
    if (!bar) return;
    if (!started) bar.start(total, 0);
    started = true;
    bar.update(done);
  });
  bar?.stop();
  process.stdout.write(summaryLine(summary) + '\n');
}

main().catch((err: unknown) => {
  if (err instanceof GenerateError) fail(err.message);
  const code = (err as NodeJS.ErrnoException)?.code;
  fail(code ? `${code}: ${(err as Error).message}` : err instanceof Error ? err.message : String(err));
});
