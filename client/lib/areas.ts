import { REGIONS, STPS } from '../../domain/geography.ts';
import { SERVICES, SERVICE_CODES, type ServiceCode } from '../../domain/services.ts';
import type { AreaLevel } from './api-types.ts';

export { SERVICE_CODES, type ServiceCode };

export const REGION_CODES = REGIONS.map((r) => r.code) as string[];
export const STP_CODES = STPS.map((s) => s.code);

export function isArea(level: AreaLevel, code: string): boolean {
  return level === 'region' ? REGION_CODES.includes(code) : STP_CODES.includes(code);
}

export function areaName(code: string): string {
  return REGIONS.find((r) => r.code === code)?.name ?? STPS.find((s) => s.code === code)?.name ?? code;
}

export function serviceName(code: string): string {
  return SERVICES.find((s) => s.code === code)?.name ?? code;
}

export function serviceHasBeds(code: string): boolean {
  return SERVICES.some((s) => s.code === code && s.hasBedDays);
}

/** Short service names for small multiples, where the full ones do not fit. */
export const SERVICE_SHORT: Record<string, string> = {
  ae_attendance: 'A&E',
  emergency_admission: 'Emergency adm.',
  elective_admission: 'Elective adm.',
  outpatient_appointment: 'Outpatients',
  gp_appointment: 'GP appts',
  community_contact: 'Community',
};
