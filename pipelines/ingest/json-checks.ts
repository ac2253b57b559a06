/**
 * Building blocks shared by the per-resource extraction SQL: parse each line at most three times
 * (validate, type-check the fields we use, transform to a struct), and turn "this field has the
 * wrong JSON type" into one boolean.
 */
import { lineTooLongSql } from './read-lines.ts';

/** JSON types as `json_type` names them; numbers come as BIGINT/UBIGINT/DOUBLE, so we only list what is allowed. */
export type JsonKind = 'OBJECT' | 'ARRAY' | 'VARCHAR';

/** A JSONPath (all paths start with `$`) and the JSON type it must have when present. */
export type TypedPath = readonly [path: string, kind: JsonKind];

export function typePathsSql(paths: readonly TypedPath[]): string {
  return `[${["'$'", ...paths.map(([p]) => `'${p}'`)].join(', ')}]`;
}

/**
 * True when a present, non-null field has another JSON type than expected (`types` is the list
 * `json_type(line, typePathsSql(paths))` returned; element 1 is the whole line).
 */
export function wrongTypeSql(types: string, paths: readonly TypedPath[]): string {
  return paths.map(([, kind], i) => `coalesce(${types}[${i + 2}] NOT IN ('${kind}', 'NULL'), false)`).join(' OR ');
}

/**
 * The parse stages every resource shares. `t` holds the JSON types of the checked paths, from a
 * single parse that also tells valid from broken lines (`try` gives NULL for a line that is not
 * JSON, so nothing is lost to an error); a line over `MAX_LINE_BYTES` is not parsed at all. `p` adds `x`, the fields we use, parsed once more and
 * only for JSON objects: either a struct (`json_transform`) or, cheaper for the big Encounter
 * files, a list of strings (`json_extract_string` over several paths, one parse).
 */
export function parseStagesSql(lines: string, paths: readonly TypedPath[], extract: { structure: object } | { strings: readonly string[] }): string {
  const x =
    'structure' in extract
      ? `json_transform(line, '${JSON.stringify(extract.structure)}')`
      : `json_extract_string(line, [${extract.strings.map((p) => `'${p}'`).join(', ')}])`;
  return `
    t AS (SELECT file_idx, line_no, line, CASE WHEN NOT ${lineTooLongSql('line')} THEN try(json_type(line, ${typePathsSql(paths)})) END AS types FROM (${lines})),
    p AS (SELECT file_idx, line_no, line, types, CASE WHEN types[1] = 'OBJECT' THEN ${x} END AS x FROM t)`;
}

/** The reasons every resource checks first, in order; `rtype` is the resourceType field, `more` continues the CASE. */
export function commonReasonSql(resourceType: string, paths: readonly TypedPath[], rtype: string, more: string): string {
  return `CASE
      WHEN ${lineTooLongSql('line')} THEN 'line_too_long'
      WHEN types IS NULL AND (line IS NULL OR trim(line) = '') THEN 'blank_line'
      WHEN types IS NULL THEN 'invalid_json'
      WHEN types[1] <> 'OBJECT' THEN 'not_an_object'
      WHEN ${rtype} IS DISTINCT FROM '${resourceType}' THEN 'wrong_resource_type'
      WHEN ${wrongTypeSql('types', paths)} THEN 'wrong_type'
      WHEN id IS NULL THEN 'missing_id'
      ${more}
    END`;
}

/** A FHIR date (YYYY-MM-DD exactly) or null: partial dates such as `1956` cannot give an age. */
export function fullDateSql(col: string): string {
  return `CASE WHEN regexp_full_match(${col}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(${col} AS DATE) END`;
}

/** The calendar date as written at the start of a FHIR dateTime (its local date, whatever the offset). */
export function dateOfDateTimeSql(col: string): string {
  return `CASE WHEN regexp_full_match(left(${col}, 11), '[0-9]{4}-[0-9]{2}-[0-9]{2}T?') THEN TRY_CAST(left(${col}, 10) AS DATE) END`;
}

/** `Patient/<id>` or `urn:uuid:<id>` to the id; anything else gives null. */
export function patientRefSql(col: string): string {
  return `nullif(CASE WHEN starts_with(${col}, 'Patient/') THEN substr(${col}, 9) WHEN starts_with(${col}, 'urn:uuid:') THEN substr(${col}, 10) END, '')`;
}

/** An id as FHIR allows it ([A-Za-z0-9-.]{1,64}); an empty or absent id is null. */
export function idSql(col: string): string {
  return `nullif(trim(${col}), '')`;
}
