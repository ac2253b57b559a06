import { readFile } from 'node:fs/promises';
import { entryHash, GENESIS_HASH, type AuditEntry } from './chain.ts';

export interface ChainStatus {
  ok: boolean;
  /** Entries read (up to the first problem). */
  entries: number;
  /** Hash of the last good entry (GENESIS_HASH for an empty log). */
  headHash: string;
  /** 1-based line of the first problem, and what it is. */
  problem?: { line: number; reason: string };
  /** Something worth knowing that is not a break (an interrupted append). */
  note?: string;
}

export interface HeadRecord {
  seq: number;
  hash: string;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Parses the log's lines (without checking the chain). */
export function parseLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        return undefined;
      }
    });
}

/**
 * Checks an audit log: every line parses, seq runs 1, 2, 3 ..., each prevHash is the previous
 * entry's hash and each hash matches its content. An edited entry breaks its own hash; a
 * deleted or reordered one breaks the next entry's prevHash and seq. Deleting the *last*
 * entries leaves a valid shorter chain, so the head record (written after every append, and
 * also logged) is compared with the last entry when given. The head is written after its entry,
 * so a process killed between the two leaves the head exactly one entry behind, pointing at the
 * previous entry's hash: that is an interrupted append, not a break, and the next append
 * brings the head up to date. Any other disagreement is a break.
 */
export async function verifyAuditChain(file: string, headFile?: string): Promise<ChainStatus> {
  const text = (await readText(file)) ?? '';
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = GENESIS_HASH;
  let beforeLast = GENESIS_HASH;
  let count = 0;
  const fail = (line: number, reason: string): ChainStatus => ({ ok: false, entries: count, headHash: prev, problem: { line, reason } });
  for (let i = 0; i < lines.length; i++) {
    let entry: AuditEntry;
    try {
      entry = JSON.parse(lines[i]!) as AuditEntry;
    } catch {
      return fail(i + 1, 'not valid JSON');
    }
    if (entry.seq !== count + 1) return fail(i + 1, `seq ${entry.seq} where ${count + 1} was expected (an entry was removed or reordered)`);
    if (entry.prevHash !== prev) return fail(i + 1, 'prevHash does not match the previous entry (an entry was removed or altered)');
    if (entryHash(entry) !== entry.hash) return fail(i + 1, 'hash does not match the entry content (the entry was altered)');
    beforeLast = prev;
    prev = entry.hash;
    count++;
  }
  if (headFile) {
    const headText = await readText(headFile);
    if (headText !== null) {
      let head: HeadRecord;
      try {
        head = JSON.parse(headText) as HeadRecord;
      } catch {
        return fail(lines.length, 'head record is not valid JSON');
      }
      if (head.seq === count - 1 && head.hash === beforeLast) {
        return {
          ok: true, entries: count, headHash: prev,
          note: `the head record is one entry behind (entry ${count} was appended and the process stopped before its head record was written); the chain is intact`,
        };
      }
      if (head.seq > count) {
        return fail(lines.length, `the log ends at entry ${count} but the head record says ${head.seq} (entries were removed from the end)`);
      }
      if (head.seq !== count || head.hash !== prev) {
        return fail(lines.length, `the head record (entry ${head.seq}) does not match the log, which ends at entry ${count} (entries were altered or the head record was edited)`);
      }
    } else if (count > 0) {
      return fail(lines.length, 'the head record is missing');
    }
  }
  return { ok: true, entries: count, headHash: prev };
}
