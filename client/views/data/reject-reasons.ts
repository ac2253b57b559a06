import type { ResourceCounts } from './manifest-model.ts';

/**
 * What each pipeline reject reason means, in plain words (the reasons and their rules are listed
 * in pipelines/ingest/NOTES.md, "Reject reasons"). A reason not listed here is shown by its code.
 */
export const REJECT_REASONS: Record<string, { label: string; description: string }> = {
  line_too_long: { label: 'Line too long', description: 'The line is over 2 MiB, so it was not read as a record.' },
  invalid_json: { label: 'Not valid JSON', description: 'The line could not be read as JSON.' },
  invalid_utf8: { label: 'Not valid text', description: 'The line holds bytes that are not valid UTF-8 text.' },
  not_an_object: { label: 'Not a record', description: 'The line is JSON, but not a JSON object.' },
  wrong_resource_type: { label: 'Wrong resource type', description: 'The record is a different FHIR resource type from the file it is in.' },
  wrong_type: { label: 'Field of the wrong type', description: 'A field the pipeline uses has another JSON type (for example a birth date written as a number).' },
  missing_id: { label: 'No id', description: 'The record has no id.' },
  duplicate_id: { label: 'Duplicate id', description: 'Another record with this id came first; the first one was kept.' },
  missing_nhs_number: { label: 'No NHS number', description: 'The patient has no NHS number.' },
  invalid_nhs_number: { label: 'Invalid NHS number', description: 'The NHS number fails its check digit (modulus 11).' },
  duplicate_nhs_number: { label: 'Duplicate NHS number', description: 'Another patient record has the same NHS number.' },
  missing_birth_date: { label: 'No date of birth', description: 'The patient has no date of birth, so no age can be worked out.' },
  invalid_birth_date: { label: 'Incomplete date of birth', description: 'The date of birth is not a full date (YYYY-MM-DD).' },
  birth_in_future: { label: 'Birth in the future', description: 'The date of birth is after the date the pipeline ran to.' },
  invalid_death_date: { label: 'Invalid date of death', description: 'The date of death cannot be read as a date.' },
  death_before_birth: { label: 'Death before birth', description: 'The date of death is before the date of birth.' },
  missing_gender: { label: 'No gender', description: 'The patient has no recorded gender.' },
  unsupported_gender: { label: 'Gender other or unknown', description: 'The population denominators are by sex (female, male), so these patients cannot be counted in rates.' },
  missing_lsoa: { label: 'No home area', description: 'The patient has no LSOA of residence.' },
  unknown_lsoa: { label: 'Home area outside the exemplars', description: 'The LSOA of residence is not in the five exemplar regions.' },
  not_activity: { label: 'Not activity', description: 'The encounter was planned, cancelled or entered in error, so it did not happen.' },
  missing_subject: { label: 'No patient', description: 'The record does not say which patient it is about.' },
  missing_period_start: { label: 'No start date', description: 'The encounter has no start date.' },
  invalid_period_start: { label: 'Invalid start date', description: 'The start date cannot be read as a date.' },
  invalid_period_end: { label: 'Invalid end date', description: 'The end date cannot be read as a date.' },
  end_before_start: { label: 'Ends before it starts', description: 'The encounter ends before it starts.' },
  event_in_future: { label: 'In the future', description: 'The encounter starts after the date the pipeline ran to.' },
  unmapped_service: { label: 'Service not recognised', description: 'No row of the service mapping table matches the encounter, so it has no service.' },
  missing_end_for_admission: { label: 'Admission without an end', description: 'An admission has no end date, so its length of stay is unknown.' },
  unknown_patient: { label: 'Unknown patient', description: 'No loaded patient has that id (this includes encounters of rejected patients).' },
  event_before_birth: { label: 'Before birth', description: "The encounter starts before the patient's date of birth." },
  event_after_death: { label: 'After death', description: "The encounter starts after the patient's date of death." },
  missing_code: { label: 'No condition code', description: 'The condition has no code.' },
};

/** Above this share of a resource's records rejected, the Data view warns. */
export const REJECT_WARNING_SHARE = 0.01;

export interface RejectRow {
  reason: string;
  label: string;
  description: string;
  /** null: withheld (1-7) under the research disclosure rules. */
  count: number | null;
  /** Share of the resource's records read. */
  share: number | null;
}

export interface ResourceRejects {
  resource: string;
  read: number | null;
  loaded: number | null;
  rejected: number | null;
  share: number | null;
  reasons: RejectRow[];
  /** More than REJECT_WARNING_SHARE of its records rejected. */
  warn: boolean;
}

const shareOf = (n: number | null, of: number | null) => (n === null || of === null || of <= 0 ? null : n / of);

export function rejectsOf(resources: readonly ResourceCounts[], threshold = REJECT_WARNING_SHARE): ResourceRejects[] {
  return resources.map((r) => {
    const share = shareOf(r.rejected, r.read);
    return {
      resource: r.resource,
      read: r.read,
      loaded: r.loaded,
      rejected: r.rejected,
      share,
      warn: share !== null && share > threshold,
      reasons: r.reasons.map((x) => ({
        reason: x.reason,
        label: REJECT_REASONS[x.reason]?.label ?? x.reason,
        description: REJECT_REASONS[x.reason]?.description ?? 'A reason this dashboard has no description for yet (see pipelines/ingest/NOTES.md).',
        count: x.count,
        share: shareOf(x.count, r.read),
      })),
    };
  });
}

/** A share as a percentage people can read: 0.03%, 1.2%, 45%; below 0.01% as "under 0.01%". */
export function fmtShare(x: number | null): string {
  if (x === null) return '–';
  if (x === 0) return '0%';
  const pct = x * 100;
  if (pct < 0.01) return 'under 0.01%';
  return `${pct < 1 ? pct.toFixed(2) : pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}
