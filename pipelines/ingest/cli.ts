/**
 * `npm run pipeline -- --input DIR --warehouse DIR [--key-file FILE] ...`: FHIR NDJSON to the
 * pseudonymised Parquet warehouse. Exit 0 published or up to date; 2 the run could not start
 * (flags, key, input); 3 the build failed a check and nothing was published; 1 anything else.
 */
import { Command } from 'commander';
import { PipelineError } from './errors.ts';
import { KEY_ENV, OPT_OUT_FILE_NAME, resolveOptions, type CliFlags } from './options.ts';
import { createReporter, printSummary } from './progress.ts';
import { runPipeline } from './run.ts';

const program = new Command()
  .name('pipeline')
  .description('Validate, pseudonymise and load a FHIR R4 bulk export (NDJSON) into the Parquet warehouse.')
  .requiredOption('--input <dir>', 'folder of <ResourceType>*.ndjson[.gz] files (Patient, Encounter, Condition are read)')
  .requiredOption('--warehouse <dir>', 'warehouse folder to (re)publish atomically')
  .option('--key-file <file>', `pseudonymisation key (at least 32 bytes); default: $${KEY_ENV}`)
  .option('--opt-out <file>', `national data opt-out list, NHS numbers one a line (default: <input>/${OPT_OUT_FILE_NAME})`)
  .option('--quarantine <dir>', 'where rejected records go, outside the warehouse (default: <warehouse>.quarantine)')
  .option('--opt-out-policy <policy>', 'research: opted-out patients leave research outputs; all: they leave every table', 'research')
  .option('--threads <n>', 'DuckDB threads', '2')
  .option('--memory-limit <size>', "DuckDB memory limit, e.g. '4GB' (DuckDB spills beyond it)", '4GB')
  .option('--temp-dir <dir>', 'where the staged encounters and DuckDB\'s spill go, in a private folder deleted after the run (default: beside the warehouse)')
  .option('--max-temp-size <size>', "bound on DuckDB's spill, e.g. '16GB': a run that needs more fails cleanly; the disk check counts it in full", '16GB')
  .option('--as-of <date>', 'YYYY-MM-DD: later events are rejected as event_in_future (default: today, UTC)')
  .option('--force', 'rebuild even when inputs, key and code are unchanged')
  .option('--quiet', 'no progress, only the summary')
  .showHelpAfterError()
  .exitOverride();

async function main(): Promise<number> {
  try {
    program.parse();
  } catch (e) {
    return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const flags = program.opts<CliFlags & { quiet?: boolean }>();
  try {
    const options = resolveOptions(flags);
    const reporter = createReporter(Boolean(flags.quiet));
    const result = await runPipeline(options, reporter);
    reporter.end?.();
    if (result.status === 'up-to-date') {
      console.log(`up to date: run ${result.runId} already built ${options.warehouse} from these inputs, key and code (--force rebuilds)`);
    } else printSummary(result.manifest, options.warehouse);
    return 0;
  } catch (e) {
    if (e instanceof PipelineError) {
      console.error(`pipeline: ${e.message}`);
      return e.exitCode;
    }
    console.error(`pipeline: unexpected failure, nothing was published: ${(e as Error).message.split('\n')[0]}`);
    if (process.env['LHCRE_DEBUG']) console.error(e);
    return 1;
  }
}

process.exitCode = await main();
