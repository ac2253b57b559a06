import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseStrictObject } from './strict-json.ts';

/**
 * Heads of the audit chain recorded outside the log (`start`: the server opened the log and
 * resumes from here; `tick`: the periodic record while it runs, written when the head moved;
 * `close`: the server shut down cleanly at this head). One JSON object a line, appended only.
 */
export interface AnchorRecord {
  seq: number;
  hash: string;
  time: string;
  event: 'start' | 'tick' | 'close';
}

/** A head recorded somewhere else (the server's pino log, an operator's note). */
export interface ExternalHead {
  seq: number;
  hash: string;
  /** Where it came from, for the message. */
  source: string;
}

export const DEFAULT_HEAD_INTERVAL_MS = 60_000;
export const ANCHOR_FILE_NAME = 'audit-anchors.jsonl';

/** `<stateDir>/audit-anchors.jsonl`: beside the audit folder, not in it. Operators should put it on another disk or host. */
export function defaultAnchorFile(stateDir: string): string {
  return path.join(stateDir, ANCHOR_FILE_NAME);
}

const HASH = /^[0-9a-f]{64}$/;
const EVENTS = new Set(['start', 'tick', 'close']);

export function isHead(v: { seq?: unknown; hash?: unknown }): v is { seq: number; hash: string } {
  return Number.isSafeInteger(v.seq) && (v.seq as number) >= 0 && typeof v.hash === 'string' && HASH.test(v.hash);
}

export async function appendAnchor(file: string, record: AnchorRecord): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, JSON.stringify(record) + '\n', { mode: 0o600 });
}

export type AnchorRead =
  | { ok: true; anchors: (AnchorRecord & { line: number })[]; missing: boolean }
  | { ok: false; line: number; reason: string };

/** Reads and checks an anchor file; a missing file reads as no anchors (`missing: true`). */
export async function readAnchors(file: string): Promise<AnchorRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, anchors: [], missing: true };
    throw e;
  }
  const lines = text.split('\n');
  const last = lines.pop();
  if (last !== '') return { ok: false, line: lines.length + 1, reason: `anchor file ${file} line ${lines.length + 1} is incomplete (no newline: the file was truncated)` };
  const anchors: (AnchorRecord & { line: number })[] = [];
  for (let i = 0; i < lines.length; i++) {
    let a: Record<string, unknown>;
    try {
      a = parseStrictObject(lines[i]!);
    } catch (e) {
      return { ok: false, line: i + 1, reason: `anchor file ${file} line ${i + 1} is not a valid anchor (${(e as Error).message})` };
    }
    const { time, event } = a;
    if (!isHead(a) || typeof time !== 'string' || !EVENTS.has(String(event))) {
      return { ok: false, line: i + 1, reason: `anchor file ${file} line ${i + 1} is not a valid anchor (needs seq, a 64-hex hash, time and event start|tick|close)` };
    }
    anchors.push({ seq: a.seq, hash: a.hash, time, event: event as AnchorRecord['event'], line: i + 1 });
  }
  return { ok: true, anchors, missing: false };
}

/**
 * Heads the server wrote to its pino log (`{"auditHead":{"seq":..,"hash":..}}` lines); other lines
 * are skipped. Lets `audit:verify --server-log` check the log against a record the state folder
 * does not hold.
 */
export function headsFromServerLog(text: string, source: string): ExternalHead[] {
  const out: ExternalHead[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"auditHead"')) continue;
    try {
      const h = (JSON.parse(line) as { auditHead?: { seq?: unknown; hash?: unknown } }).auditHead;
      if (h && isHead(h)) out.push({ seq: h.seq, hash: h.hash, source });
    } catch {
      // Not a JSON log line.
    }
  }
  return out;
}
