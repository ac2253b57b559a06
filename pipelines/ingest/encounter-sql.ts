/**
 * Encounter lines to `stage_encounter` (per-record rules), then `encounter_final` (the mapping to
 * a service, duplicates, the patient link and the checks that need the patient's dates).
 */
import { SERVICES } from '../../domain/services.ts';
import { sqlString } from './db.ts';
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

/**
 * The staging table of one Encounter file at a time: a TEMP table, so each connection that stages
 * files side by side has its own (`encounter-files.ts` empties it between files).
 */
export const STAGE_ENCOUNTER_TABLE = 'stage_encounter';

export const createStageEncounterSql = `CREATE OR REPLACE TEMP TABLE ${STAGE_ENCOUNTER_TABLE} (
  file_idx USMALLINT, line_no BIGINT, reason VARCHAR, id VARCHAR, patient_id VARCHAR,
  class_code VARCHAR, type_code VARCHAR, priority_code VARCHAR, start_date DATE, end_date DATE, provider VARCHAR)`;

/** The staged columns, from the raw field values (`v` gives the SQL of each, NULL when absent). */
function fieldsSql(v: (name: keyof typeof FIELDS) => string): string {
  return `${v('resourceType')} AS resource_type,
      ${idSql(v('id'))} AS id,
      ${v('status')} AS status,
      ${v('reference')} AS ref_raw,
      ${patientRefSql(v('reference'))} AS patient_id,
      coalesce(${v('classCode')}, '') AS class_code,
      CASE WHEN ${v('typeSystem')} = '${SNOMED_SYSTEM}' THEN ${v('typeCode')} ELSE '' END AS type_code,
      coalesce(${v('priorityCode')}, '') AS priority_code,
      ${v('start')} AS start_raw,
      ${v('end')} AS end_raw,
      ${dateOfDateTimeSql(v('start'))} AS start_date,
      ${dateOfDateTimeSql(v('end'))} AS end_date,
      CASE WHEN ${v('providerSystem')} = '${ODS_SYSTEM}' THEN ${v('providerValue')} END AS provider`;
}

/** The Encounter reasons, after the common ones. */
const ENCOUNTER_REASONS = `WHEN status IN (${NOT_ACTIVITY.map((s) => `'${s}'`).join(', ')}) THEN 'not_activity'
      WHEN ref_raw IS NULL OR patient_id IS NULL THEN 'missing_subject'
      WHEN start_raw IS NULL THEN 'missing_period_start'
      WHEN start_date IS NULL THEN 'invalid_period_start'
      WHEN end_raw IS NOT NULL AND end_date IS NULL THEN 'invalid_period_end'
      WHEN end_date < start_date THEN 'end_before_start'
      -- same day: compare the times (with their offsets) only then, as parsing them is costly
      WHEN end_date = start_date AND length(end_raw) > 10 AND length(start_raw) > 10
        AND TRY_CAST(end_raw AS TIMESTAMPTZ) < TRY_CAST(start_raw AS TIMESTAMPTZ) THEN 'end_before_start'
      WHEN start_date > $as_of::DATE THEN 'event_in_future'`;

const STAGED_COLUMNS = 'id, patient_id, class_code, type_code, priority_code, start_date, end_date, provider';

/** INSERT for one file; `lines` is `linesSql(...)`. Binds `$as_of` (DATE). */
export function stageEncountersSql(lines: string): string {
  return `INSERT INTO ${STAGE_ENCOUNTER_TABLE}
  WITH ${parseStagesSql(lines, PATHS, { strings: NAMES.map((n) => FIELDS[n]) })},
  f AS (
    SELECT file_idx, line_no, line, types,
      ${fieldsSql(f)}
    FROM p)
  SELECT file_idx, line_no,
    ${commonReasonSql('Encounter', PATHS, 'resource_type', ENCOUNTER_REASONS)} AS reason,
    ${STAGED_COLUMNS}
  FROM f`;
}

/** The reason the fast path gives a record it cannot vouch for; any one sends the file down the line-by-line path. */
export const FAST_PATH_UNSURE = 'fast_path_unsure';

/**
 * Every field we read, as raw JSON (so its JSON type stays visible), in the nesting of `FIELDS`.
 * `read_json` raises an error for an object or a list where the schema has the other, or
 * anything else where it has one of them: those are the `wrong_type` cases of the OBJECT and
 * ARRAY paths, and of broken lines, objects with duplicate keys, lines that are not objects.
 */
const FAST_COLUMNS = `{
  resourceType: 'JSON', id: 'JSON', status: 'JSON', class: 'STRUCT(code JSON)',
  type: 'STRUCT(coding STRUCT(system JSON, code JSON)[])[]', priority: 'STRUCT(coding STRUCT(code JSON)[])',
  subject: 'STRUCT(reference JSON)', period: 'STRUCT("start" JSON, "end" JSON)',
  serviceProvider: 'STRUCT(identifier STRUCT(system JSON, value JSON))'}`;

const FAST_FIELDS: Record<keyof typeof FIELDS, string> = {
  resourceType: '"resourceType"',
  id: '"id"',
  status: '"status"',
  classCode: '"class".code',
  reference: '"subject".reference',
  start: '"period"."start"',
  end: '"period"."end"',
  typeSystem: '"type"[1].coding[1].system',
  typeCode: '"type"[1].coding[1].code',
  priorityCode: '"priority".coding[1].code',
  providerSystem: '"serviceProvider".identifier.system',
  providerValue: '"serviceProvider".identifier.value',
};

/**
 * The fast path for a whole Encounter file: DuckDB's own NDJSON reader with a fixed schema
 * instead of one VARCHAR per line parsed twice. It skips blank lines and cannot tell a wrong JSON
 * type of a string field from a right one, so it is only trusted for a file whose rows are as
 * many as its lines (`linesSql`) and in which no record is `FAST_PATH_UNSURE`: a resourceType
 * other than "Encounter", or a field we read that is present, not null and not a string. Such a
 * file holds exactly the records the line-by-line path sees, each of them a JSON object whose
 * fields are strings or null, so both give the same values and reasons (`missing_id` onwards).
 * `row_number() OVER ()` numbers the rows in the reader's order on one thread, as in `linesSql`.
 * Binds `$as_of` (DATE).
 */
export function stageEncountersFastSql(file: string, fileIdx: number): string {
  if (!Number.isInteger(fileIdx) || fileIdx < 0) throw new RangeError(`bad file index ${fileIdx}`);
  const names = Object.keys(FAST_FIELDS) as (keyof typeof FIELDS)[];
  const reader = `read_json(${sqlString(file)}, format = 'newline_delimited', records = true, columns = ${FAST_COLUMNS})`;
  return `INSERT INTO ${STAGE_ENCOUNTER_TABLE}
  WITH r AS (SELECT row_number() OVER () AS line_no, * FROM ${reader}),
  j AS (SELECT line_no, ${names.map((n) => `${FAST_FIELDS[n]} AS "j_${n}"`).join(', ')} FROM r),
  v AS (
    SELECT line_no,
      -- a JSON text that starts with a quote is a string
      ${names.map((n) => `coalesce(starts_with("j_${n}", '"'), true)`).join(' AND ')} AS strings,
      ${names.map((n) => `json_extract_string("j_${n}", '$') AS "${n}"`).join(', ')}
    FROM j),
  f AS (
    SELECT line_no, strings,
      ${fieldsSql((n) => `"${n}"`)}
    FROM v)
  SELECT ${fileIdx}::USMALLINT AS file_idx, line_no,
    CASE
      WHEN NOT strings OR resource_type IS DISTINCT FROM 'Encounter' THEN '${FAST_PATH_UNSURE}'
      WHEN id IS NULL THEN 'missing_id'
      ${ENCOUNTER_REASONS}
    END AS reason,
    ${STAGED_COLUMNS}
  FROM f`;
}

const BED_DAY_SERVICES = SERVICES.filter((s) => s.hasBedDays).map((s) => `'${s.code}'`).join(', ');

/**
 * `encounter_file`: the staged records of ONE file with what can be decided without the other
 * files, as a TEMP table of the connection. A record's final reason is the first of
 * - `pre_reason`: its staging reason, else `unmapped_service` or `missing_end_for_admission`;
 * - `duplicate_id`, decided once every file is read (`encounter-duplicates.ts`), among the records
 *   with `dup_candidate` (no staging reason: as before the split, an unmapped record can still be
 *   the first of its id);
 * - `post_reason`: `unknown_patient`, `event_before_birth`, `event_after_death`.
 * Loaded records (neither reason, and not a duplicate) carry the patient's pseudonym and the
 * derived event columns. Needs `patients_loaded` and `service_map`. The mapping is resolved once per
 * distinct (class, type, priority) of the file, not per encounter.
 */
export const encounterFileSql = `CREATE OR REPLACE TEMP TABLE encounter_file AS
  WITH combos AS (SELECT DISTINCT class_code, type_code, priority_code FROM ${STAGE_ENCOUNTER_TABLE} WHERE reason IS NULL),
  mapped AS (SELECT c.class_code, c.type_code, c.priority_code, ${serviceExprSql} AS service FROM combos c ${serviceJoinsSql('c')}),
  e AS (
    SELECT s.*, m.service
    FROM ${STAGE_ENCOUNTER_TABLE} s
    LEFT JOIN mapped m ON m.class_code = s.class_code AND m.type_code = s.type_code AND m.priority_code = s.priority_code
    WHERE s.reason IS DISTINCT FROM 'blank_line')
  SELECT e.file_idx, e.line_no, e.reason IS NULL AS dup_candidate,
    CASE WHEN e.reason IS NULL THEN e.id END AS id,
    coalesce(e.reason, CASE
      WHEN e.service IS NULL THEN 'unmapped_service'
      WHEN e.service IN (${BED_DAY_SERVICES}) AND e.end_date IS NULL THEN 'missing_end_for_admission'
    END) AS pre_reason,
    CASE
      WHEN p.pid IS NULL THEN 'unknown_patient'
      WHEN e.start_date < p.birth_date THEN 'event_before_birth'
      WHEN e.start_date > p.death_date THEN 'event_after_death'
    END AS post_reason,
    p.pid, e.service, e.start_date,
    CASE WHEN e.service IN (${BED_DAY_SERVICES}) THEN (e.end_date - e.start_date)::INTEGER END AS los_days,
    (year(e.start_date) - year(p.birth_date)
      - CASE WHEN month(e.start_date) * 100 + day(e.start_date) < month(p.birth_date) * 100 + day(p.birth_date) THEN 1 ELSE 0 END)::SMALLINT AS age,
    p.sex, p.lsoa11, p.imd_decile, p.stp_code, p.region, e.provider, p.research
  FROM e LEFT JOIN patients_loaded p ON p.id = e.patient_id`;
