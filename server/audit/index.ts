import path from 'node:path';
import { FileAuditLog, type AuditLogOptions } from './audit-log.ts';
import { defaultAnchorFile } from './anchors.ts';

export { canonicalJson } from './canonical-json.ts';
export { entryHash, GENESIS_HASH, sealEntry, type AuditEntry, type AuditEvent } from './chain.ts';
export { FileAuditLog, type AuditLogOptions } from './audit-log.ts';
export { auditDataRequests, CLIENT_CLOSED, holdAudit, outcomeOf, recordAuditNow, setAuditDetails, type AuditDetails } from './middleware.ts';
export { auditTarget, AUDITED_AREAS, type AuditTarget } from './endpoint.ts';
export { verifyAuditChain, verifyStateDir, type ChainStatus, type HeadRecord, type VerifyOptions } from './verify.ts';
export { ANCHOR_FILE_NAME, DEFAULT_HEAD_INTERVAL_MS, defaultAnchorFile, headsFromServerLog, readAnchors, type AnchorRecord, type ExternalHead } from './anchors.ts';
export { duplicateKey, parseStrictObject } from './strict-json.ts';

/**
 * The server's audit log: `<stateDir>/audit/audit.jsonl` (+ `head.json`), outside the warehouse,
 * anchored by default in `<stateDir>/audit-anchors.jsonl` (pass `anchorFile` to put it elsewhere,
 * null for none).
 */
export function openAuditLog(stateDir: string, options: AuditLogOptions = {}): Promise<FileAuditLog> {
  const anchorFile = options.anchorFile === undefined ? defaultAnchorFile(stateDir) : options.anchorFile;
  return FileAuditLog.open(path.join(stateDir, 'audit'), { ...options, anchorFile });
}

/** AUDIT_HEAD_INTERVAL_MS: a whole number of milliseconds, 0 for no timer; throws naming the variable. */
export function headIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.AUDIT_HEAD_INTERVAL_MS;
  if (v === undefined || v === '') return undefined;
  // setInterval turns anything above 2^31 - 1 ms into 1 ms.
  if (!/^\d{1,10}$/.test(v) || Number(v) > 2_147_483_647) {
    throw new Error(`AUDIT_HEAD_INTERVAL_MS=${JSON.stringify(v.slice(0, 20))} must be a whole number of milliseconds up to 2147483647 (0: only on start and close)`);
  }
  return Number(v);
}
