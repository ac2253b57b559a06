/**
 * Building blocks shared by the per-resource extraction SQL: parse each line at most three times
 * (validate, type-check the fields we use, transform to a struct), and turn "this field has the
 * wrong JSON type" into one boolean.
 */

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
 * The first three stages every resource shares: `v` marks blank and valid lines, `p` holds the
 * type list and the transformed struct `x` (only for JSON objects, so a broken line costs one parse).
 */
export function parseStagesSql(lines: string, paths: readonly TypedPath[], structure: object): string {
  return `
    v AS (SELECT file_idx, line_no, line, (line IS NULL OR trim(line) = '') AS blank, json_valid(line) AS ok FROM (${lines})),
    t AS (SELECT file_idx, line_no, blank, ok, line, CASE WHEN ok THEN json_type(line, ${typePathsSql(paths)}) END AS types FROM v),
    p AS (SELECT file_idx, line_no, blank, ok, types,
            CASE WHEN types[1] = 'OBJECT' THEN json_transform(line, '${JSON.stringify(structure)}') END AS x FROM t)`;
}

/** The reasons every resource checks first, in order; `more` continues the CASE. */
export function commonReasonSql(resourceType: string, paths: readonly TypedPath[], more: string): string {
  return `CASE
      WHEN blank THEN 'blank_line'
      WHEN NOT ok THEN 'invalid_json'
      WHEN types[1] <> 'OBJECT' THEN 'not_an_object'
      WHEN x.resourceType IS DISTINCT FROM '${resourceType}' THEN 'wrong_resource_type'
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
  return `CASE WHEN regexp_matches(${col}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}($|T)') THEN TRY_CAST(left(${col}, 10) AS DATE) END`;
}

/** `Patient/<id>` or `urn:uuid:<id>` to the id; anything else gives null. */
export function patientRefSql(col: string): string {
  return `nullif(regexp_extract(${col}, '^(?:Patient/|urn:uuid:)(.+)$', 1), '')`;
}

/** An id as FHIR allows it ([A-Za-z0-9-.]{1,64}); an empty or absent id is null. */
export function idSql(col: string): string {
  return `nullif(trim(${col}), '')`;
}
