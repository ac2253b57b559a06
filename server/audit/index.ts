import path from 'node:path';
import { FileAuditLog, type AuditLogOptions } from './audit-log.ts';

export { canonicalJson } from './canonical-json.ts';
export { entryHash, GENESIS_HASH, sealEntry, type AuditEntry, type AuditEvent } from './chain.ts';
export { FileAuditLog, type AuditLogOptions } from './audit-log.ts';
export { auditDownloads, outcomeOf, setAuditDetails, type AuditDetails } from './middleware.ts';
export { verifyAuditChain, type ChainStatus } from './verify.ts';

/** The server's audit log: `<stateDir>/audit/audit.jsonl` (+ `head.json`), outside the warehouse. */
export function openAuditLog(stateDir: string, options: AuditLogOptions = {}): Promise<FileAuditLog> {
  return FileAuditLog.open(path.join(stateDir, 'audit'), options);
}
