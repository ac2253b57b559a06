/**
 * Encounter lines to `stage_encounter` (per-record rules), then `encounter_final` (the mapping to
 * a service, duplicates, the patient link and the checks that need the patient's dates).
 */
import { SERVICES } from '../../domain/services.ts';
import { commonReasonSql, dateOfDateTimeSql, idSql, parseStagesSql, patientRefSql, type TypedPath } from './json-checks.ts';
import { ODS_SYSTEM } from './patient-sql.ts';
import { serviceExprSql, serviceJoinsSql } from './service-mapping.ts';

export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** Encounters that did not (or not yet) happen are not activity. */
const NOT_ACTIVITY = ['planned', 'cancelled', 'entered-in-error'];

const PATHS: readonly TypedPath[] = [
  ['$.resourceType', 'VARCHAR'],
  ['$.id', 'VARCHAR'],
  ['$.status', 'VARCHAR'],
  ['$.class', 'OBJECT'],
  ['$.class.code', 'VARCHAR'],
  ['$.type', 'ARRAY'],
  ['$.priority', 'OBJECT'],
  ['$.subject', 'OBJECT'],
  ['$.subject.reference', 'VARCHAR'],
  ['$.period', 'OBJECT'],
  ['$.period.start', 'VARCHAR'],
  ['$.period.end', 'VARCHAR'],
  ['$.serviceProvider', 'OBJECT'],
];

/**
 * The fields read, as strings from one parse (cheaper than a struct for the largest files). The
 * type is the first coding of the first `type`, used when it is SNOMED CT: the mapping table falls
 * back to the class for anything else.
 */
const FIELDS = {
  resourceType: '$.resourceType',
  id: '$.id',
  status: '$.status',
  classCode: '$.class.code',
  reference: '$.subject.reference',
  start: '$.period.start',
  end: '$.period.end',
  typeSystem: '$.type[0].coding[0].system',
  typeCode: '$.type[0].coding[0].code',
  priorityCode: '$.priority.coding[0].code',
  providerSystem: '$.serviceProvider.identifier.system',
  providerValue: '$.serviceProvider.identifier.value',
} as const;
const NAMES = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
const f = (name: keyof typeof FIELDS) => `x[${NAMES.indexOf(name) + 1}]`;

export const createStageEncounterSql = `CREATE OR REPLACE TABLE stage_encounter (
  file_idx USMALLINT, line_no BIGINT, reason VARCHAR, id VARCHAR, patient_id VARCHAR,
  class_code VARCHAR, type_code VARCHAR, priority_code VARCHAR, start_date DATE, end_date DATE, provider VARCHAR)`;

/** INSERT for one file; `lines` is `linesSql(...)`. Binds `$as_of` (DATE). */
export function stageEncountersSql(lines: string): string {
  return `INSERT INTO stage_encounter
  WITH ${parseStagesSql(lines, PATHS, { strings: NAMES.map((n) => FIELDS[n]) })},
  f AS (
    SELECT file_idx, line_no, line, types,
      ${f('resourceType')} AS resource_type,
      ${idSql(f('id'))} AS id,
      ${f('status')} AS status,
      ${f('reference')} AS ref_raw,
      ${patientRefSql(f('reference'))} AS patient_id,
      coalesce(${f('classCode')}, '') AS class_code,
      CASE WHEN ${f('typeSystem')} = '${SNOMED_SYSTEM}' THEN ${f('typeCode')} ELSE '' END AS type_code,
      coalesce(${f('priorityCode')}, '') AS priority_code,
      ${f('start')} AS start_raw,
      ${f('end')} AS end_raw,
      ${dateOfDateTimeSql(f('start'))} AS start_date,
      ${dateOfDateTimeSql(f('end'))} AS end_date,
      CASE WHEN ${f('providerSystem')} = '${ODS_SYSTEM}' THEN ${f('providerValue')} END AS provider
    FROM p)
  SELECT file_idx, line_no,
    ${commonReasonSql(
      'Encounter',
      PATHS,
      'resource_type',
      `WHEN status IN (${NOT_ACTIVITY.map((s) => `'${s}'`).join(', ')}) THEN 'not_activity'
      WHEN ref_raw IS NULL OR patient_id IS NULL THEN 'missing_subject'
      WHEN start_raw IS NULL THEN 'missing_period_start'
      WHEN start_date IS NULL THEN 'invalid_period_start'
      WHEN end_raw IS NOT NULL AND end_date IS NULL THEN 'invalid_period_end'
      WHEN end_date < start_date THEN 'end_before_start'
      -- same day: compare the times (with their offsets) only then, as parsing them is costly
      WHEN end_date = start_date AND length(end_raw) > 10 AND length(start_raw) > 10
        AND TRY_CAST(end_raw AS TIMESTAMPTZ) < TRY_CAST(start_raw AS TIMESTAMPTZ) THEN 'end_before_start'
      WHEN start_date > $as_of::DATE THEN 'event_in_future'`,
    )} AS reason,
    id, patient_id, class_code, type_code, priority_code, start_date, end_date, provider
  FROM f`;
}

const BED_DAY_SERVICES = SERVICES.filter((s) => s.hasBedDays).map((s) => `'${s.code}'`).join(', ');

/**
 * `encounter_final`: every staged record with its final reason and, for loaded ones, the
 * patient's pseudonym and the derived event columns. Needs `patients_loaded` and `service_map`.
 * Two shortcuts keep this one pass over the big table: duplicates are looked for by a 64-bit
 * hash first (exact ids compared only for the rare hash collisions), and the mapping is resolved
 * once per distinct (class, type, priority), not per encounter.
 */
export const finalEncountersSql = `CREATE OR REPLACE TEMP TABLE encounter_final AS
  WITH dup_hash AS (
    SELECT hash(id) AS h FROM stage_encounter WHERE reason IS NULL GROUP BY ALL HAVING count(*) > 1),
  dup_id AS (
    SELECT id, min(file_idx::BIGINT * 4294967296 + line_no) AS first FROM stage_encounter
    WHERE reason IS NULL AND hash(id) IN (SELECT h FROM dup_hash) GROUP BY id HAVING count(*) > 1),
  combos AS (SELECT DISTINCT class_code, type_code, priority_code FROM stage_encounter WHERE reason IS NULL),
  mapped AS (SELECT c.class_code, c.type_code, c.priority_code, ${serviceExprSql} AS service FROM combos c ${serviceJoinsSql('c')}),
  e AS (
    SELECT s.*, m.service, d.id IS NOT NULL AND s.file_idx::BIGINT * 4294967296 + s.line_no <> d.first AS is_dup
    FROM stage_encounter s
    LEFT JOIN mapped m ON m.class_code = s.class_code AND m.type_code = s.type_code AND m.priority_code = s.priority_code
    LEFT JOIN dup_id d ON d.id = s.id
    WHERE s.reason IS DISTINCT FROM 'blank_line')
  SELECT e.file_idx, e.line_no,
    coalesce(e.reason, CASE
      WHEN e.service IS NULL THEN 'unmapped_service'
      WHEN e.service IN (${BED_DAY_SERVICES}) AND e.end_date IS NULL THEN 'missing_end_for_admission'
      WHEN e.is_dup THEN 'duplicate_id'
      WHEN p.pid IS NULL THEN 'unknown_patient'
      WHEN e.start_date < p.birth_date THEN 'event_before_birth'
      WHEN e.start_date > p.death_date THEN 'event_after_death'
    END) AS reason,
    p.pid, e.service, e.start_date,
    CASE WHEN e.service IN (${BED_DAY_SERVICES}) THEN (e.end_date - e.start_date)::INTEGER END AS los_days,
    (year(e.start_date) - year(p.birth_date)
      - CASE WHEN month(e.start_date) * 100 + day(e.start_date) < month(p.birth_date) * 100 + day(p.birth_date) THEN 1 ELSE 0 END)::SMALLINT AS age,
    p.sex, p.lsoa11, p.imd_decile, p.stp_code, p.region, e.provider, p.research
  FROM e LEFT JOIN patients_loaded p ON p.id = e.patient_id`;
