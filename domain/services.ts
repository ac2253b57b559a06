/** Points of delivery the product forecasts and compares (DESIGN.md section 4). */
export const SERVICES = [
  { code: 'ae_attendance', name: 'A&E attendances', hasBedDays: false },
  { code: 'emergency_admission', name: 'Emergency admissions', hasBedDays: true },
  { code: 'elective_admission', name: 'Elective admissions (incl. day cases)', hasBedDays: true },
  { code: 'outpatient_appointment', name: 'Outpatient appointments', hasBedDays: false },
  { code: 'gp_appointment', name: 'GP appointments', hasBedDays: false },
  { code: 'community_contact', name: 'Community contacts', hasBedDays: false },
] as const;

export type ServiceCode = (typeof SERVICES)[number]['code'];

export const SERVICE_CODES = SERVICES.map((s) => s.code) as [ServiceCode, ...ServiceCode[]];

export function serviceHasBedDays(code: ServiceCode): boolean {
  return SERVICES.some((s) => s.code === code && s.hasBedDays);
}
