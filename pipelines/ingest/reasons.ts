/**
 * Why a record was quarantined. One code per record: the first rule in `*-sql.ts` order that it
 * breaks. The manifest counts records by these codes; the quarantine files carry them.
 */
export const REJECT_REASONS = [
  'line_too_long',
  'invalid_json',
  'invalid_utf8',
  'not_an_object',
  'wrong_resource_type',
  'wrong_type',
  'missing_id',
  'duplicate_id',
  'missing_nhs_number',
  'invalid_nhs_number',
  'duplicate_nhs_number',
  'missing_birth_date',
  'invalid_birth_date',
  'birth_in_future',
  'invalid_death_date',
  'death_before_birth',
  'missing_gender',
  'unsupported_gender',
  'missing_lsoa',
  'unknown_lsoa',
  'not_activity',
  'missing_subject',
  'unknown_patient',
  'missing_period_start',
  'invalid_period_start',
  'invalid_period_end',
  'end_before_start',
  'event_before_birth',
  'event_after_death',
  'event_in_future',
  'unmapped_service',
  'missing_end_for_admission',
  'missing_code',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** The resource types the pipeline reads; every other `<Type>*.ndjson` is listed as ignored. */
export const RESOURCE_TYPES = ['Patient', 'Encounter', 'Condition'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
