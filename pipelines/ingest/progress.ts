/**
 * What the person at the terminal sees: a line per stage (pino, on stderr), a bar while files
 * are read when stderr is a terminal, and a summary table at the end (stdout).
 */
import { SingleBar, Presets } from 'cli-progress';
import { pino } from 'pino';
import type { Manifest } from './manifest.ts';
import type { Reporter } from './run.ts';

export function createReporter(quiet: boolean): Reporter & { end?: () => void } {
  if (quiet) return { stage: () => {} };
  const log = pino({ name: 'pipeline', base: undefined }, pino.destination(2));
  const tty = Boolean(process.stderr.isTTY);
  let bar: SingleBar | null = null;
  return {
    stage: (message) => {
      bar?.stop();
      bar = null;
      log.info(message);
    },
    files: (total) => {
      if (!tty) return;
      bar = new SingleBar({ format: 'reading {bar} {value}/{total} files | {file}', stream: process.stderr }, Presets.shades_classic);
      bar.start(total, 0, { file: '' });
    },
    fileDone: (file) => {
      if (bar) bar.increment(1, { file });
      else log.info({ file }, 'read');
    },
    end: () => bar?.stop(),
  };
}

export function printSummary(m: Manifest, warehouse: string): void {
  const rows = Object.entries(m.resources).map(([type, c]) => {
    const reasons = Object.entries(c.rejectedByReason)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    return `  ${type.padEnd(10)} read ${String(c.read).padStart(10)}  loaded ${String(c.loaded).padStart(10)}  rejected ${String(c.rejected).padStart(8)}${reasons ? `  (${reasons})` : ''}`;
  });
  const tables = Object.entries(m.tables)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  console.log(
    [
      `published ${warehouse} (run ${m.runId}, key ${m.keyId}, period ${m.period ? `${m.period.from} to ${m.period.to}` : 'none'})`,
      ...rows,
      `  opt-out: ${m.optOut.listed} listed, ${m.optOut.matched} matched, ${m.optOut.allowlisted} on the research allow-list (policy ${m.optOutPolicy})`,
      `  tables: ${tables}`,
      `  forecasts: ${m.forecasts.status}${'reason' in m.forecasts ? ` (${m.forecasts.reason})` : ''}`,
      m.quarantine.files.length ? `  rejects with their line numbers: ${m.quarantine.folder}` : '  no rejects',
    ].join('\n'),
  );
}
