/**
 * FHIR R4 NDJSON lines in the shape of pipelines/FHIR-INPUT.md, built from pre-rendered
 * fragments rather than JSON.stringify. Encounters (millions of lines) are written as bytes into
 * the output buffer; patients and conditions (few) as template strings. Every variable piece is
 * generated here (digits, codes, dates, names from fixed lists), so none needs JSON escaping.
 */
import { asciiBytes, type ByteBuffer } from './byte-buffer.ts';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ACT_PRIORITY = 'http://terminology.hl7.org/CodeSystem/v3-ActPriority';
const SNOMED = 'http://snomed.info/sct';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
const LSOA_EXTENSION = 'https://lhcre-planner.nhs.invalid/fhir/StructureDefinition/lsoa-2011';

/** One per distinct (class, type, priority) the generator writes. */
export const ENCOUNTER_KINDS = {
  ae: { cls: 'EMER', code: '4525004', display: 'Emergency department patient visit', priority: 'EM' },
  emergency: { cls: 'IMP', code: '183452005', display: 'Emergency hospital admission', priority: 'EM' },
  electiveInpatient: { cls: 'IMP', code: '8715000', display: 'Hospital admission, elective', priority: 'EL' },
  electiveDayCase: { cls: 'SS', code: '8715000', display: 'Hospital admission, elective', priority: 'EL' },
  outpatient: { cls: 'AMB', code: '11429006', display: 'Consultation', priority: 'R' },
  gp: { cls: 'AMB', code: '185347001', display: 'Encounter for problem', priority: 'R' },
  gpRemote: { cls: 'VR', code: '185347001', display: 'Encounter for problem', priority: 'R' },
  community: { cls: 'HH', code: '439708006', display: 'Home visit', priority: 'R' },
} as const;

export type EncounterKind = keyof typeof ENCOUNTER_KINDS;

const ENCOUNTER_HEAD = asciiBytes('{"resourceType":"Encounter","id":"e-');
const encounterMiddle = Object.fromEntries(
  Object.entries(ENCOUNTER_KINDS).map(([k, v]) => [
    k,
    asciiBytes(
      `","status":"finished","class":{"system":"${ACT_CODE}","code":"${v.cls}"},` +
        `"type":[{"coding":[{"system":"${SNOMED}","code":"${v.code}","display":"${v.display}"}]}],` +
        `"priority":{"coding":[{"system":"${ACT_PRIORITY}","code":"${v.priority}"}]},"subject":{"reference":"Patient/p-`,
    ),
  ]),
) as Record<EncounterKind, Uint8Array>;
const PERIOD_START = asciiBytes('"},"period":{"start":"');
const PERIOD_END = asciiBytes('","end":"');
const PROVIDER = asciiBytes(`"},"serviceProvider":{"identifier":{"system":"${ODS}","value":"`);
const ENCOUNTER_TAIL = asciiBytes('"}}}\n');
const MAX_ENCOUNTER_BYTES = 1024;

/** Appends one Encounter line; ids are numbers written zero-padded, `provider` is pre-encoded ASCII. */
export function writeEncounter(
  out: ByteBuffer, id: number, idWidth: number, kind: EncounterKind, patient: number, patientWidth: number, startMinute: number, endMinute: number,
  provider: Uint8Array,
): void {
  out.ensure(MAX_ENCOUNTER_BYTES);
  out.bytes(ENCOUNTER_HEAD);
  out.digits(id, idWidth);
  out.bytes(encounterMiddle[kind]);
  out.digits(patient, patientWidth);
  out.bytes(PERIOD_START);
  out.instant(startMinute);
  out.bytes(PERIOD_END);
  out.instant(endMinute);
  out.bytes(PROVIDER);
  out.bytes(provider);
  out.bytes(ENCOUNTER_TAIL);
}

export interface PatientFields {
  id: string;
  nhsNumber: string;
  family: string;
  given: string;
  gender: 'female' | 'male';
  birthDate: string;
  deceasedDate: string | null;
  line: string;
  postalCode: string;
  lsoa11: string;
  gpPractice: string;
}

export function patientLine(p: PatientFields): string {
  return (
    `{"resourceType":"Patient","id":"p-${p.id}","identifier":[{"system":"${NHS_NUMBER}","value":"${p.nhsNumber}"}],` +
    `"name":[{"use":"official","family":"${p.family}","given":["${p.given}"]}],"gender":"${p.gender}","birthDate":"${p.birthDate}",` +
    (p.deceasedDate ? `"deceasedDateTime":"${p.deceasedDate}",` : '') +
    `"address":[{"use":"home","line":["${p.line}"],"postalCode":"${p.postalCode}",` +
    `"extension":[{"url":"${LSOA_EXTENSION}","valueCode":"${p.lsoa11}"}]}],` +
    `"generalPractitioner":[{"identifier":{"system":"${ODS}","value":"${p.gpPractice}"}}]}\n`
  );
}

export interface ConditionFields {
  id: string;
  patientId: string;
  code: string;
  display: string;
  onsetDate: string;
}

export function conditionLine(c: ConditionFields): string {
  return (
    `{"resourceType":"Condition","id":"c-${c.id}","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},` +
    `"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item"}]}],` +
    `"code":{"coding":[{"system":"${SNOMED}","code":"${c.code}","display":"${c.display}"}]},` +
    `"subject":{"reference":"Patient/p-${c.patientId}"},"onsetDateTime":"${c.onsetDate}"}\n`
  );
}
