import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the log adds seq, time (if absent), prevHash and hash. */
export interface AuditEvent {
  user: string | null;
  role: string | null;
  method: string;
  /** Route pattern, lower case, without the query string (`/api/exports/:id`; `endpoint.ts`). */
  endpoint: string;
  /** The path as sent, when `endpoint` is a `/api/<area>/*` pattern (no route has it). */
  path?: string;
  /** The validated request parameters (or, failing validation, a trimmed copy of what was sent). */
  params: Record<string, unknown>;
  status: number;
  /** `aborted`: the client closed the connection before the response was complete. */
  outcome: 'ok' | 'rejected' | 'denied' | 'error' | 'aborted';
  rows?: number;
  suppressed?: { primary: number; secondary: number };
  exportId?: string;
  detail?: string;
  time?: string;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  time: string;
  prevHash: string;
  hash: string;
}

/** sha256(prevHash + canonical JSON of the entry without its own hash), hex. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...body } = entry;
  return createHash('sha256').update(entry.prevHash + canonicalJson(body)).digest('hex');
}

export function sealEntry(event: AuditEvent, seq: number, prevHash: string, now: Date): AuditEntry {
  const body = { ...event, seq, time: event.time ?? now.toISOString(), prevHash };
  return { ...body, hash: entryHash(body) };
}
