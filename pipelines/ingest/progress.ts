/**
 * What the person at the terminal sees: a line per stage (pino, on stderr); for the stages with a
 * known amount of work (reading the patients, reading the encounters, writing the event
 * partitions) a bar with records per second and an ETA when stderr is a terminal, else a log line
 * with the same figures every 10 s; and a summary table at the end (stdout).
 */
import { SingleBar, Presets } from 'cli-progress';
import { pino } from 'pino';
import type { Manifest } from './manifest.ts';
import type { Reporter } from './run.ts';

/** Work done per second over the stage so far, and the seconds left at that rate. */
export function rateAndEta(startedMs: number, nowMs: number, done: number, total: number, records: number): { recordsPerSecond: number; etaSeconds: number | null } {
  const seconds = Math.max(1e-3, (nowMs - startedMs) / 1000);
  const eta = done > 0 && total > done ? ((total - done) * seconds) / done : done >= total ? 0 : null;
  return { recordsPerSecond: records / seconds, etaSeconds: eta };
}

const LOG_EVERY_MS = 10_000;

export function createReporter(quiet: boolean): Reporter & { end?: () => void } {
  if (quiet) return { stage: () => {} };
  const log = pino({ name: 'pipeline', base: undefined }, pino.destination(2));
  const tty = Boolean(process.stderr.isTTY);
  let bar: SingleBar | null = null;
  let current: { name: string; total: number; unit: string; done: number; records: number; started: number; logged: number } | null = null;
  const finish = () => {
    if (current && current.done > 0) {
      const { recordsPerSecond } = rateAndEta(current.started, performance.now(), current.done, current.total, current.records);
      log.info({ stage: current.name, records: current.records, seconds: Math.round((performance.now() - current.started) / 100) / 10, recordsPerSecond: Math.round(recordsPerSecond) }, `${current.name}: done`);
    }
    bar?.stop();
    bar = null;
    current = null;
  };
  return {
    stage: (message) => {
      finish();
      log.info(message);
    },
    begin: (name, total, unit) => {
      finish();
      current = { name, total, unit, done: 0, records: 0, started: performance.now(), logged: performance.now() };
      if (!tty || total <= 0) return;
      bar = new SingleBar(
        { format: `${name} {bar} {percentage}% | {records} records | {rate} records/s | ETA {eta_formatted} | {label}`, stream: process.stderr, etaBuffer: 50, fps: 2 },
        Presets.shades_classic,
      );
      bar.start(total, 0, { records: 0, rate: 0, label: '' });
    },
    advance: (units, records, label) => {
      if (!current) return;
      current.done += units;
      current.records += records;
      const now = performance.now();
      const { recordsPerSecond, etaSeconds } = rateAndEta(current.started, now, current.done, current.total, current.records);
      if (bar) {
        bar.update(current.done, { records: current.records.toLocaleString('en-GB'), rate: Math.round(recordsPerSecond).toLocaleString('en-GB'), label });
      } else if (now - current.logged >= LOG_EVERY_MS || current.done >= current.total) {
        current.logged = now;
        log.info(
          { stage: current.name, done: current.done, total: current.total, unit: current.unit, records: current.records, recordsPerSecond: Math.round(recordsPerSecond), etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds) },
          `${current.name}: ${Math.round((100 * current.done) / Math.max(1, current.total))}%`,
        );
      }
    },
    end: () => finish(),
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
