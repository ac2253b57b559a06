/**
 * Patient lines to `stage_patient`: the fields we use, and the first per-record rule each breaks.
 * Cross-record rules (unknown LSOA, duplicate id, duplicate NHS number) are applied once all
 * files are staged (`finalPatientsSql`).
 */
import { nhsNumberValidSql } from '../../domain/nhs-number.ts';
import { commonReasonSql, dateOfDateTimeSql, fullDateSql, idSql, parseStagesSql, type TypedPath } from './json-checks.ts';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const LSOA_EXTENSION_URL = 'https://lhcre-planner.nhs.invalid/fhir/StructureDefinition/lsoa-2011';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

const PATHS: readonly TypedPath[] = [
  ['$.resourceType', 'VARCHAR'],
  ['$.id', 'VARCHAR'],
  ['$.gender', 'VARCHAR'],
  ['$.birthDate', 'VARCHAR'],
  ['$.deceasedDateTime', 'VARCHAR'],
  ['$.identifier', 'ARRAY'],
  ['$.address', 'ARRAY'],
  ['$.generalPractitioner', 'ARRAY'],
];

const STRUCTURE = {
  resourceType: 'VARCHAR',
  id: 'VARCHAR',
  gender: 'VARCHAR',
  birthDate: 'VARCHAR',
  deceasedDateTime: 'VARCHAR',
  identifier: [{ system: 'VARCHAR', value: 'VARCHAR' }],
  address: [{ use: 'VARCHAR', extension: [{ url: 'VARCHAR', valueCode: 'VARCHAR' }] }],
  generalPractitioner: [{ identifier: { system: 'VARCHAR', value: 'VARCHAR' } }],
};

export const createStagePatientSql = `CREATE OR REPLACE TABLE stage_patient (
  file_idx USMALLINT, line_no BIGINT, reason VARCHAR, id VARCHAR, nhs VARCHAR, sex VARCHAR,
  birth_date DATE, death_date DATE, lsoa11 VARCHAR, gp_practice VARCHAR)`;

const lsoaOf = (addresses: string) =>
  `list_filter(flatten(list_transform(${addresses}, a -> coalesce(a.extension, []))), e -> e.url = '${LSOA_EXTENSION_URL}')[1].valueCode`;

/** INSERT for one file; `lines` is `linesSql(...)`. Binds `$as_of` (DATE). */
export function stagePatientsSql(lines: string): string {
  return `INSERT INTO stage_patient
  WITH ${parseStagesSql(lines, PATHS, { structure: STRUCTURE })},
  f AS (
    SELECT file_idx, line_no, line, types, x,
      ${idSql('x.id')} AS id,
      replace(list_filter(x.identifier, i -> i.system = '${NHS_NUMBER_SYSTEM}')[1].value, ' ', '') AS nhs,
      x.gender AS sex,
      x.birthDate AS bd_raw,
      ${fullDateSql('x.birthDate')} AS birth_date,
      x.deceasedDateTime AS dd_raw,
      ${dateOfDateTimeSql('x.deceasedDateTime')} AS death_date,
      -- the home address's LSOA when there is one, else any address's
      coalesce(${lsoaOf("list_filter(x.address, a -> a.use = 'home')")}, ${lsoaOf('x.address')}) AS lsoa11,
      list_filter(x.generalPractitioner, g -> g.identifier.system = '${ODS_SYSTEM}')[1].identifier.value AS gp_practice
    FROM p)
  SELECT file_idx, line_no,
    ${commonReasonSql(
      'Patient',
      PATHS,
      'x.resourceType',
      `WHEN nhs IS NULL OR nhs = '' THEN 'missing_nhs_number'
      WHEN NOT ${nhsNumberValidSql('nhs')} THEN 'invalid_nhs_number'
      WHEN bd_raw IS NULL THEN 'missing_birth_date'
      WHEN birth_date IS NULL THEN 'invalid_birth_date'
      WHEN birth_date > $as_of::DATE THEN 'birth_in_future'
      WHEN dd_raw IS NOT NULL AND death_date IS NULL THEN 'invalid_death_date'
      WHEN death_date < birth_date THEN 'death_before_birth'
      WHEN sex IS NULL THEN 'missing_gender'
      WHEN sex NOT IN ('female', 'male') THEN 'unsupported_gender'
      WHEN lsoa11 IS NULL OR lsoa11 = '' THEN 'missing_lsoa'`,
    )} AS reason,
    id, nhs, sex, birth_date, death_date, lsoa11, gp_practice
  FROM f`;
}

/**
 * `patient_final`: every staged record with its final reason (null = loaded) and, for loaded
 * ones, the LSOA's STP, region and IMD decile. Of several records with one id or one NHS number
 * the first (by file, then line) is kept: the export is one snapshot, so a later duplicate is an
 * error in it, not an update.
 */
export const finalPatientsSql = `CREATE OR REPLACE TEMP TABLE patient_final AS
  WITH s AS (SELECT *, file_idx::BIGINT * 4294967296 + line_no AS pos FROM stage_patient WHERE reason IS DISTINCT FROM 'blank_line'),
  dup_id AS (SELECT id, min(pos) AS first FROM s WHERE reason IS NULL GROUP BY id HAVING count(*) > 1),
  a AS (
    SELECT s.*, l.stp_code, l.region, l.imd_decile,
      coalesce(s.reason,
        CASE WHEN l.lsoa11 IS NULL THEN 'unknown_lsoa'
             WHEN d.id IS NOT NULL AND s.pos <> d.first THEN 'duplicate_id' END) AS reason1
    FROM s LEFT JOIN lsoa_ref l ON l.lsoa11 = s.lsoa11 LEFT JOIN dup_id d ON d.id = s.id),
  dup_nhs AS (SELECT nhs, min(pos) AS first FROM a WHERE reason1 IS NULL GROUP BY nhs HAVING count(*) > 1)
  SELECT a.* EXCLUDE (reason, reason1),
    coalesce(a.reason1, CASE WHEN n.nhs IS NOT NULL AND a.pos <> n.first THEN 'duplicate_nhs_number' END) AS reason
  FROM a LEFT JOIN dup_nhs n ON n.nhs = a.nhs`;
