import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { entryHash, GENESIS_HASH, type AuditEntry } from './chain.ts';
import { defaultAnchorFile, readAnchors, type AnchorRecord, type ExternalHead } from './anchors.ts';
import { parseStrictObject } from './strict-json.ts';

export interface ChainStatus {
  ok: boolean;
  /** Entries read (up to the first problem). */
  entries: number;
  /** Hash of the last good entry (GENESIS_HASH for an empty log). */
  headHash: string;
  /** 1-based line of the first problem, and what it is. */
  problem?: { line: number; reason: string };
  /** Something worth knowing that is not a break (an interrupted append, no anchor file). */
  note?: string;
  /** Externally recorded heads checked against the log (anchor file and any others given). */
  anchors?: number;
}

export interface HeadRecord {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  /** Anchor file (anchors.ts) the log must agree with. */
  anchorFile?: string;
  /** A missing anchor file is a failure (the operator said where it is), not a note. */
  requireAnchorFile?: boolean;
  /** Other recorded heads (the server's pino log, --expect-head): the log must hold each one. */
  externalHeads?: ExternalHead[];
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Parses the log's lines (without checking the chain); unreadable lines are undefined. */
export function parseLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      try {
        return parseStrictObject(l) as unknown;
      } catch {
        return undefined;
      }
    });
}

/**
 * Checks an audit log: every line is a complete JSON object without duplicate keys, seq runs 1,
 * 2, 3 ..., each prevHash is the previous entry's hash and each hash matches its content. An
 * edited entry breaks its own hash; a deleted or reordered one breaks the next entry's prevHash
 * and seq. Deleting the *last* entries leaves a valid shorter chain, so the head record (written
 * after every append) is compared with the last entry. The head is written after its entry, so a
 * process killed between the two leaves the head exactly one entry behind, pointing at the
 * previous entry's hash: that is an interrupted append, not a break. Any other disagreement is a
 * break. Then every externally recorded head (anchor file, pino log) must be in the log with the
 * same hash, which is what catches a consistent rewrite or a truncation of both the log and
 * head.json (README: what this cannot catch).
 */
export async function verifyAuditChain(file: string, headFile?: string, options: VerifyOptions = {}): Promise<ChainStatus> {
  const text = (await readText(file)) ?? '';
  const lines = text.split('\n');
  // A complete log ends with a newline; anything after the last one is a cut-off line.
  const tail = lines.pop()!;
  let prev = GENESIS_HASH;
  let beforeLast = GENESIS_HASH;
  let count = 0;
  const hashes: string[] = [];
  const fail = (line: number, reason: string): ChainStatus => ({ ok: false, entries: count, headHash: prev, problem: { line, reason } });
  for (let i = 0; i < lines.length; i++) {
    let entry: AuditEntry;
    try {
      entry = parseStrictObject(lines[i]!) as unknown as AuditEntry;
    } catch (e) {
      return fail(i + 1, `not a valid entry: ${(e as Error).message}`);
    }
    if (entry.seq !== count + 1) return fail(i + 1, `seq ${String(entry.seq)} where ${count + 1} was expected (an entry was removed or reordered)`);
    if (entry.prevHash !== prev) return fail(i + 1, 'prevHash does not match the previous entry (an entry was removed or altered, or appended without the chain)');
    if (entryHash(entry) !== entry.hash) return fail(i + 1, 'hash does not match the entry content (the entry was altered, or appended with a wrong hash)');
    beforeLast = prev;
    prev = entry.hash;
    hashes.push(entry.hash);
    count++;
  }
  if (tail !== '') return fail(lines.length + 1, 'the last line is incomplete (no newline: the log was truncated mid-line or an append was cut short)');
  let note: string | undefined;
  if (headFile) {
    const headText = await readText(headFile);
    if (headText !== null) {
      let head: HeadRecord;
      try {
        head = parseStrictObject(headText) as unknown as HeadRecord;
      } catch (e) {
        return fail(lines.length, `head record is not valid (${(e as Error).message})`);
      }
      if (head.seq === count - 1 && head.hash === beforeLast) {
        note = `the head record is one entry behind (entry ${count} was appended and the process stopped before its head record was written); the chain is intact`;
      } else if (head.seq > count) {
        return fail(lines.length, `the log ends at entry ${count} but the head record says ${head.seq} (entries were removed from the end)`);
      } else if (head.seq !== count || head.hash !== prev) {
        return fail(lines.length, `the head record (entry ${head.seq}) does not match the log, which ends at entry ${count} (entries were altered or added, or the head record was edited)`);
      }
    } else if (count > 0) {
      return fail(lines.length, 'the head record is missing');
    }
  }
  const anchored = await checkAnchors(hashes, options);
  if ('problem' in anchored) return { ...fail(anchored.problem.line, anchored.problem.reason), anchors: anchored.checked };
  const notes = [note, anchored.note].filter(Boolean);
  return { ok: true, entries: count, headHash: prev, ...(notes.length ? { note: notes.join('; ') } : {}), ...(anchored.checked || options.anchorFile ? { anchors: anchored.checked } : {}) };
}

function describe(a: AnchorRecord & { line: number }, file: string): string {
  return `entry ${a.seq} (anchored at ${a.time.slice(0, 40)} on server ${a.event}, ${file} line ${a.line})`;
}

/** The log (as its entries' hashes, seq = index + 1) against every recorded head. */
async function checkAnchors(
  hashes: string[],
  options: VerifyOptions,
): Promise<{ checked: number; note?: string } | { checked: number; problem: { line: number; reason: string } }> {
  const count = hashes.length;
  const hashAt = (seq: number) => (seq === 0 ? GENESIS_HASH : hashes[seq - 1]);
  const lineOf = (seq: number) => Math.max(1, Math.min(seq, count));
  let checked = 0;
  let note: string | undefined;
  if (options.anchorFile) {
    const file = options.anchorFile;
    const read = await readAnchors(file);
    if (!read.ok) return { checked, problem: { line: count, reason: read.reason } };
    if (read.missing) {
      if (options.requireAnchorFile) return { checked, problem: { line: count, reason: `the anchor file ${file} does not exist (deleted, or never written there)` } };
      note = `no anchor file at ${file}: a truncation or rewrite of both the log and its head record would not be seen`;
    }
    let prev: (AnchorRecord & { line: number }) | undefined;
    for (const a of read.anchors) {
      if (prev && a.seq < prev.seq) {
        return { checked, problem: { line: lineOf(a.seq), reason: `${describe(a, file)} comes after ${describe(prev, file)}: the log went backwards (truncated or replaced while the server was stopped)` } };
      }
      if (prev?.event === 'close' && (a.seq !== prev.seq || a.hash !== prev.hash)) {
        return { checked, problem: { line: lineOf(a.seq), reason: `the server closed at ${describe(prev, file)} but started again at ${describe(a, file)}: the log was changed while no server was running` } };
      }
      if (a.seq > count) {
        return { checked, problem: { line: count, reason: `the log ends at entry ${count} but ${describe(a, file)} was recorded: the log was truncated (entries removed from the end) or replaced` } };
      }
      if (hashAt(a.seq) !== a.hash) {
        return { checked, problem: { line: lineOf(a.seq), reason: `the hash of ${describe(a, file)} differs from the log's: the log was rewritten` } };
      }
      checked++;
      prev = a;
    }
    if (prev?.event === 'close' && count !== prev.seq) {
      return { checked, problem: { line: lineOf(prev.seq + 1), reason: `the server closed at ${describe(prev, file)} but the log now ends at entry ${count}: entries were appended while no server was running` } };
    }
  }
  for (const h of options.externalHeads ?? []) {
    if (h.seq > count) return { checked, problem: { line: count, reason: `the log ends at entry ${count} but ${h.source} recorded entry ${h.seq}: the log was truncated or replaced` } };
    if (hashAt(h.seq) !== h.hash) return { checked, problem: { line: lineOf(h.seq), reason: `the hash of entry ${h.seq} differs from the one ${h.source} recorded: the log was rewritten` } };
    checked++;
  }
  return note ? { checked, note } : { checked };
}

/**
 * What `npm run audit:verify` checks: `<stateDir>/audit/audit.jsonl` against its `head.json`,
 * the anchor file (default `<stateDir>/audit-anchors.jsonl`, where a missing file is only a
 * note) and any other recorded heads.
 */
export function verifyStateDir(stateDir: string, options: VerifyOptions = {}): Promise<ChainStatus> {
  const dir = path.join(stateDir, 'audit');
  return verifyAuditChain(path.join(dir, 'audit.jsonl'), path.join(dir, 'head.json'), { ...options, anchorFile: options.anchorFile ?? defaultAnchorFile(stateDir) });
}
