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

const STRUCTURE = {
  resourceType: 'VARCHAR',
  id: 'VARCHAR',
  status: 'VARCHAR',
  class: { code: 'VARCHAR' },
  type: [{ coding: [{ system: 'VARCHAR', code: 'VARCHAR' }] }],
  priority: { coding: [{ system: 'VARCHAR', code: 'VARCHAR' }] },
  subject: { reference: 'VARCHAR' },
  period: { start: 'VARCHAR', end: 'VARCHAR' },
  serviceProvider: { identifier: { system: 'VARCHAR', value: 'VARCHAR' } },
};

export const createStageEncounterSql = `CREATE OR REPLACE TEMP TABLE stage_encounter (
  file_idx USMALLINT, line_no BIGINT, reason VARCHAR, id VARCHAR, patient_id VARCHAR,
  class_code VARCHAR, type_code VARCHAR, priority_code VARCHAR, start_date DATE, end_date DATE, provider VARCHAR)`;

/** INSERT for one file; `lines` is `linesSql(...)`. Binds `$as_of` (DATE). */
export function stageEncountersSql(lines: string): string {
  return `INSERT INTO stage_encounter
  WITH ${parseStagesSql(lines, PATHS, STRUCTURE)},
  f AS (
    SELECT file_idx, line_no, blank, ok, types, x,
      ${idSql('x.id')} AS id,
      x.subject.reference AS ref_raw,
      ${patientRefSql('x.subject.reference')} AS patient_id,
      coalesce(x.class.code, '') AS class_code,
      coalesce(list_filter(flatten(list_transform(x.type, t -> coalesce(t.coding, []))), c -> c.system = '${SNOMED_SYSTEM}')[1].code, '') AS type_code,
      coalesce(x.priority.coding[1].code, '') AS priority_code,
      x.period.start AS start_raw,
      x.period."end" AS end_raw,
      ${dateOfDateTimeSql('x.period.start')} AS start_date,
      ${dateOfDateTimeSql('x.period."end"')} AS end_date,
      TRY_CAST(x.period.start AS TIMESTAMPTZ) AS start_ts,
      TRY_CAST(x.period."end" AS TIMESTAMPTZ) AS end_ts,
      CASE WHEN x.serviceProvider.identifier.system = '${ODS_SYSTEM}' THEN x.serviceProvider.identifier.value END AS provider,
      x.status AS status
    FROM p)
  SELECT file_idx, line_no,
    ${commonReasonSql(
      'Encounter',
      PATHS,
      `WHEN status IN (${NOT_ACTIVITY.map((s) => `'${s}'`).join(', ')}) THEN 'not_activity'
      WHEN ref_raw IS NULL OR patient_id IS NULL THEN 'missing_subject'
      WHEN start_raw IS NULL THEN 'missing_period_start'
      WHEN start_date IS NULL THEN 'invalid_period_start'
      WHEN end_raw IS NOT NULL AND end_date IS NULL THEN 'invalid_period_end'
      WHEN end_ts < start_ts OR end_date < start_date THEN 'end_before_start'
      WHEN start_date > $as_of::DATE THEN 'event_in_future'`,
    )} AS reason,
    id, patient_id, class_code, type_code, priority_code, start_date, end_date, provider
  FROM f`;
}

const BED_DAY_SERVICES = SERVICES.filter((s) => s.hasBedDays).map((s) => `'${s.code}'`).join(', ');

/**
 * `encounter_final`: every staged record with its final reason and, for loaded ones, the
 * patient's pseudonym and the derived event columns. Needs `patients_loaded` and `service_map`.
 */
export const finalEncountersSql = `CREATE OR REPLACE TEMP TABLE encounter_final AS
  WITH s AS (SELECT *, file_idx::BIGINT * 4294967296 + line_no AS pos FROM stage_encounter WHERE reason IS DISTINCT FROM 'blank_line'),
  dup_id AS (SELECT id, min(pos) AS first FROM s WHERE reason IS NULL GROUP BY id HAVING count(*) > 1),
  e AS (SELECT s.*, ${serviceExprSql} AS service, d.id IS NOT NULL AND s.pos <> d.first AS is_dup
        FROM s ${serviceJoinsSql('s')} LEFT JOIN dup_id d ON d.id = s.id)
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
