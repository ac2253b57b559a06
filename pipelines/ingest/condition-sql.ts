/**
 * Condition lines: validated and linked to a loaded patient. Schema version 1 has no table for
 * them yet (population segments are future work), so they are counted, not written.
 */
import { commonReasonSql, idSql, parseStagesSql, patientRefSql, type TypedPath } from './json-checks.ts';

const PATHS: readonly TypedPath[] = [
  ['$.resourceType', 'VARCHAR'],
  ['$.id', 'VARCHAR'],
  ['$.subject', 'OBJECT'],
  ['$.subject.reference', 'VARCHAR'],
  ['$.code', 'OBJECT'],
];

const STRUCTURE = {
  resourceType: 'VARCHAR',
  id: 'VARCHAR',
  subject: { reference: 'VARCHAR' },
  code: { coding: [{ system: 'VARCHAR', code: 'VARCHAR' }] },
};

export const createStageConditionSql = `CREATE OR REPLACE TABLE stage_condition (
  file_idx USMALLINT, line_no BIGINT, reason VARCHAR, id VARCHAR, patient_id VARCHAR)`;

export function stageConditionsSql(lines: string): string {
  return `INSERT INTO stage_condition
  WITH ${parseStagesSql(lines, PATHS, { structure: STRUCTURE })},
  f AS (
    SELECT file_idx, line_no, line, types, x,
      ${idSql('x.id')} AS id,
      x.subject.reference AS ref_raw,
      ${patientRefSql('x.subject.reference')} AS patient_id,
      x.code.coding[1].code AS code
    FROM p)
  SELECT file_idx, line_no,
    ${commonReasonSql(
      'Condition',
      PATHS,
      'x.resourceType',
      `WHEN ref_raw IS NULL OR patient_id IS NULL THEN 'missing_subject'
      WHEN code IS NULL THEN 'missing_code'`,
    )} AS reason,
    id, patient_id
  FROM f`;
}

export const finalConditionsSql = `CREATE OR REPLACE TEMP TABLE condition_final AS
  WITH s AS (SELECT *, file_idx::BIGINT * 4294967296 + line_no AS pos FROM stage_condition WHERE reason IS DISTINCT FROM 'blank_line'),
  dup_id AS (SELECT id, min(pos) AS first FROM s WHERE reason IS NULL GROUP BY id HAVING count(*) > 1)
  SELECT s.file_idx, s.line_no,
    coalesce(s.reason, CASE
      WHEN d.id IS NOT NULL AND s.pos <> d.first THEN 'duplicate_id'
      WHEN p.id IS NULL THEN 'unknown_patient'
    END) AS reason
  FROM s LEFT JOIN dup_id d ON d.id = s.id LEFT JOIN patients_loaded p ON p.id = s.patient_id`;
