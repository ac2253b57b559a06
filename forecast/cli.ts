import { runForecastCli } from './cli/main.ts';

try {
  process.exitCode = await runForecastCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
} catch (e) {
  process.stderr.write(`forecast: unexpected error: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
