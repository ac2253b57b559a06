import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { parseMonth } from '../core/months.ts';
import { forecastSeries } from '../forecast-series.ts';
import { METHOD_NAMES } from '../methods/types.ts';
import { DEFAULT_COVID } from '../prepare.ts';
import { CsvInputError, formatOutputCsv, parseLongCsv, type OutputRow } from './long-csv.ts';

/**
 * `npm run forecast -- --input FILE.csv --horizon H --out FILE.csv`. Returns the exit code rather
 * than exiting, so tests can drive it in-process; every failure is one line on stderr.
 */
export interface CliIo { stdout: (s: string) => void; stderr: (s: string) => void }

const monthArg = (flag: string) => (v: string): number => {
  const m = parseMonth(v);
  if (m === null) throw new InvalidArgumentError(`${flag} must be YYYY-MM, got "${v}"`);
  return m;
};

const Options = z.object({
  input: z.string().min(1),
  out: z.string().min(1),
  horizon: z.coerce.number({ error: '--horizon must be a whole number from 1 to 120' }).int('--horizon must be a whole number from 1 to 120').min(1, '--horizon must be at least 1').max(120, '--horizon must be at most 120'),
  method: z.enum(['auto', ...METHOD_NAMES], { error: `--method must be one of auto, ${METHOD_NAMES.join(', ')}` }),
  covid: z.boolean(),
  covidFrom: z.number().optional(),
  covidTo: z.number().optional(),
});

export async function runForecastCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('forecast')
    .description('Forecast every series in a long-format CSV (series_id,period,value; period YYYY-MM or an integer index).')
    .requiredOption('--input <file>', 'input CSV')
    .requiredOption('--horizon <h>', 'periods ahead to forecast (1-120)')
    .requiredOption('--out <file>', 'output CSV: series_id,horizon,period,forecast,lo80,hi80,lo95,hi95,method')
    .option('--method <name>', `auto | ${METHOD_NAMES.join(' | ')}`, 'auto')
    .option('--covid-from <YYYY-MM>', 'first COVID month to treat as a shock (default 2020-03)', monthArg('--covid-from'))
    .option('--covid-to <YYYY-MM>', 'last COVID month (default 2021-03)', monthArg('--covid-to'))
    .option('--no-covid', 'fit the COVID months as observed')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: () => undefined });
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      io.stderr(`forecast: ${e.message.replace(/^error: /, '')}\n`);
      return 1;
    }
    throw e;
  }
  const parsed = Options.safeParse(program.opts());
  if (!parsed.success) {
    io.stderr(`forecast: ${parsed.error.issues[0]!.message}\n`);
    return 1;
  }
  const o = parsed.data;
  const covid = o.covid ? { from: o.covidFrom ?? DEFAULT_COVID.from, to: o.covidTo ?? DEFAULT_COVID.to } : null;
  if (covid && covid.from > covid.to) {
    io.stderr('forecast: --covid-from must not be after --covid-to\n');
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(o.input, 'utf8');
  } catch (e) {
    io.stderr(`forecast: cannot read --input ${o.input}: ${(e as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return 1;
  }
  try {
    const input = parseLongCsv(text);
    const rows: OutputRow[] = [];
    for (const s of input.series) {
      const r = forecastSeries({ periods: s.periods, values: s.values, horizon: o.horizon, method: o.method, monthly: input.style === 'month', covid });
      for (const f of r.forecast) rows.push({ id: s.id, horizon: f.h, period: f.period, forecast: f.value, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95, method: r.method });
    }
    writeFileSync(o.out, formatOutputCsv(rows, input.style));
    io.stdout(`forecast: ${input.series.length} series, ${rows.length} rows written to ${o.out}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CsvInputError) {
      io.stderr(`forecast: ${o.input} ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
