/**
 * Records in, loaded and rejected per resource type, from the `*_final` tables, and the check
 * that nothing was lost: read == loaded + rejected, and read == the non-blank lines of the files.
 */
import type { PipelineDb } from './db.ts';
import { EXIT_BUILD_FAILED, PipelineError } from './errors.ts';
import type { ResourceType } from './reasons.ts';
import type { StagedFile } from './stage.ts';

export interface ResourceCounts {
  read: number;
  loaded: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export const FINAL_TABLE: Record<ResourceType, string> = {
  Patient: 'patient_final',
  // rejected records only (encounter-duplicates.ts): loaded encounters leave the database file by file
  Encounter: 'encounter_rejected',
  Condition: 'condition_final',
};

export async function countResources(db: PipelineDb, type: ResourceType, files: StagedFile[]): Promise<ResourceCounts> {
  const table = FINAL_TABLE[type];
  const rows = await db.rows<{ reason: string | null; n: bigint }>(`count ${type}`, `SELECT reason, count(*) AS n FROM ${table} GROUP BY reason ORDER BY reason`);
  const rejectedByReason: Record<string, number> = {};
  let loaded = 0;
  let rejected = 0;
  for (const r of rows) {
    if (r.reason === null) loaded += Number(r.n);
    else {
      rejectedByReason[r.reason] = Number(r.n);
      rejected += Number(r.n);
    }
  }
  const read = rows.reduce((s, r) => s + Number(r.n), 0);
  const expected = files.filter((f) => f.resourceType === type).reduce((s, f) => s + f.lines - f.blankLines, 0);
  if (read !== loaded + rejected || read !== expected) {
    throw new PipelineError(`${type}: ${read} records read, ${loaded} loaded + ${rejected} rejected, ${expected} non-blank lines: the counts do not reconcile; nothing published`, EXIT_BUILD_FAILED);
  }
  return { read, loaded, rejected, rejectedByReason };
}
