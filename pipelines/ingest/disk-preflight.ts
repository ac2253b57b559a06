/**
 * Before a run writes anything: will it fit? The records in the input are estimated from a sample
 * of each resource type's first file (its compression ratio and bytes per line), and the disk
 * each place needs from that: the staged encounters and DuckDB's spill (bounded by
 * `--max-temp-size`) in the temp folder, the new warehouse beside the old one (the old stays until
 * the new one is complete), the rejects in the quarantine. Places on one file system add up. A run
 * that would not fit is refused (exit 2) with one line saying how much is needed and where.
 */
import { closeSync, existsSync, openSync, readSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { EXIT_USAGE, PipelineError } from './errors.ts';
import type { InputFile } from './inputs.ts';

/**
 * Bytes per record on disk, measured on generated records with about 1.5x headroom: staged events
 * plus the ids of the duplicate check (zstd Parquet: 9.3 + 5.8 = 15.2 bytes an encounter at 1% of
 * the population), and the warehouse's events with their share of every other table (10.5).
 */
export const STAGED_BYTES_PER_ENCOUNTER = 24;
export const WAREHOUSE_BYTES_PER_ENCOUNTER = 12;
export const WAREHOUSE_BYTES_PER_PATIENT = 24;
/** Rejects are rare but hold whole records: room for 0.2% of the input's text, at least 16 MB. */
const QUARANTINE_SHARE = 0.002;
const QUARANTINE_MIN = 16e6;
/** Sampled from the head of a file: enough lines for a stable mean, cheap for a file of any size. */
const SAMPLE_BYTES = 1 << 20;

export interface InputEstimate {
  /** Decompressed bytes. */
  textBytes: number;
  records: Record<string, number>;
}

/** Compression ratio and mean line length from the first `SAMPLE_BYTES` of a file. */
function sampleFile(file: string): { ratio: number; bytesPerLine: number } {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    const raw = buf.subarray(0, n);
    // A gzip head decompresses on its own when the stream is allowed to end early.
    const text = file.endsWith('.gz') ? gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }) : raw;
    let lines = 0;
    for (let i = text.indexOf(0x0a); i >= 0; i = text.indexOf(0x0a, i + 1)) lines++;
    return { ratio: n > 0 ? text.length / n : 1, bytesPerLine: text.length / Math.max(1, lines) };
  } finally {
    closeSync(fd);
  }
}

export function estimateInputs(files: InputFile[]): InputEstimate {
  const byType = new Map<string, InputFile[]>();
  for (const f of files) byType.set(f.resourceType ?? '', [...(byType.get(f.resourceType ?? '') ?? []), f]);
  let textBytes = 0;
  const records: Record<string, number> = {};
  for (const [type, list] of byType) {
    const first = list.find((f) => f.bytes > 0);
    if (!first) continue;
    const s = sampleFile(first.path);
    const text = list.reduce((sum, f) => sum + f.bytes * (f.path.endsWith('.gz') ? s.ratio : 1), 0);
    textBytes += text;
    records[type] = Math.ceil(text / s.bytesPerLine);
  }
  return { textBytes, records };
}

export interface DiskNeed {
  what: string;
  dir: string;
  bytes: number;
}

export function diskNeeds(e: InputEstimate, dirs: { temp: string; warehouse: string; quarantine: string }, maxSpillBytes: number): DiskNeed[] {
  const encounters = e.records['Encounter'] ?? 0;
  const patients = e.records['Patient'] ?? 0;
  return [
    { what: 'staged encounters', dir: dirs.temp, bytes: encounters * STAGED_BYTES_PER_ENCOUNTER },
    { what: 'DuckDB spill (--max-temp-size)', dir: dirs.temp, bytes: maxSpillBytes },
    { what: 'warehouse', dir: dirs.warehouse, bytes: encounters * WAREHOUSE_BYTES_PER_ENCOUNTER + patients * WAREHOUSE_BYTES_PER_PATIENT + 50e6 },
    { what: 'quarantine', dir: dirs.quarantine, bytes: Math.max(QUARANTINE_MIN, e.textBytes * QUARANTINE_SHARE) },
  ];
}

/** The nearest existing folder of `p` (the place a folder not created yet will live). */
function existingAncestor(p: string): string {
  let dir = path.resolve(p);
  while (!existsSync(dir)) dir = path.dirname(dir);
  return dir;
}

export interface FreeSpace {
  /** Bytes an unprivileged writer may still use on the file system holding `dir`, and its id. */
  (dir: string): { device: number; freeBytes: number };
}

export const freeSpaceOf: FreeSpace = (dir) => {
  const at = existingAncestor(dir);
  const s = statfsSync(at);
  return { device: statSync(at).dev, freeBytes: s.bavail * s.bsize };
};

const gb = (n: number) => `${(n / 1e9).toFixed(n < 1e9 ? 2 : 1)} GB`;

/** Refuses (exit 2) when any file system has less free space than the needs placed on it. */
export function checkDisk(needs: DiskNeed[], free: FreeSpace = freeSpaceOf): void {
  const byDevice = new Map<number, { dir: string; free: number; needs: DiskNeed[] }>();
  for (const n of needs) {
    const f = free(n.dir);
    const entry = byDevice.get(f.device) ?? { dir: existingAncestor(n.dir), free: f.freeBytes, needs: [] };
    entry.needs.push(n);
    byDevice.set(f.device, entry);
  }
  for (const d of byDevice.values()) {
    const total = d.needs.reduce((s, n) => s + n.bytes, 0);
    if (total <= d.free) continue;
    const parts = d.needs.map((n) => `${n.what} ${gb(n.bytes)}`).join(', ');
    throw new PipelineError(
      `not enough free disk for this run on the file system of ${d.dir}: it needs about ${gb(total)} there (${parts}) and ${gb(d.free)} is free; ` +
        'free some space, or put the staging and spill on another disk with --temp-dir DIR (and bound the spill with --max-temp-size SIZE)',
      EXIT_USAGE,
    );
  }
}

/** `4GB`, `500MB`, `1.5GiB` as bytes (DuckDB's own size syntax, decimal and binary units). */
export function parseSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?\s*$/i.exec(s);
  if (!m) return null;
  const unit = (m[2] ?? 'B').toUpperCase();
  const mult: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };
  return Math.round(Number(m[1]) * mult[unit]!);
}
