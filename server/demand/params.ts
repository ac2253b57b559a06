import { REGIONS, STPS } from '../../domain/geography.ts';
import { SERVICE_CODES, serviceHasBedDays, type ServiceCode } from '../../domain/services.ts';
import { DIMENSION_NAMES, MAX_DIMENSIONS, isDimension, type Dimension } from '../queries/dimensions.ts';
import { badRequest } from '../http/problem.ts';
import { oneOf, parseWindow, shown, singleParams } from '../http/query-params.ts';
import type { Request } from 'express';

export const MEASURES = ['count', 'patients', 'crude_rate', 'bed_days'] as const;
export type Measure = (typeof MEASURES)[number];

export interface DemandRequest {
  service: ServiceCode;
  region: string | null;
  stp: string | null;
  from: string;
  to: string;
  periodLabel: string;
  by: Dimension[];
  measure: Measure;
}

const ALLOWED = ['service', 'region', 'stp', 'from', 'to', 'by', 'measure', 'format'];
const REGION_CODES = REGIONS.map((r) => r.code);
const STP_CODES = STPS.map((s) => s.code);

export function parseBy(value: string | undefined): Dimension[] {
  if (value === undefined || value === '') return [];
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length > MAX_DIMENSIONS) throw badRequest('by', `too many dimensions in by (max ${MAX_DIMENSIONS}), got ${parts.length}`);
  const seen = new Set<string>();
  for (const p of parts) {
    if (!isDimension(p)) throw badRequest('by', `unknown dimension ${shown(p)} in by; allowed: ${DIMENSION_NAMES.join(', ')}`);
    if (seen.has(p)) throw badRequest('by', `dimension '${p}' appears twice in by`);
    seen.add(p);
  }
  if (seen.has('month') && seen.has('year')) throw badRequest('by', 'by may hold month or year, not both');
  return parts as Dimension[];
}

export function parseDemandRequest(req: Request, period: { from: string; to: string }): DemandRequest {
  const q = singleParams(req, ALLOWED);
  if (q.service === undefined) throw badRequest('service', `service is required; one of ${SERVICE_CODES.join(', ')}`);
  const service = oneOf('service', q.service, SERVICE_CODES, 'service');
  const region = q.region === undefined ? null : oneOf('region', q.region, REGION_CODES, 'region');
  const stp = q.stp === undefined ? null : oneOf('stp', q.stp, STP_CODES, 'STP code');
  if (region && stp) throw badRequest('stp', 'give region or stp, not both');
  const window = parseWindow(q, period);
  const by = parseBy(q.by);
  const measure = q.measure === undefined ? 'count' : oneOf('measure', q.measure, MEASURES, 'measure');
  if (measure === 'bed_days' && !serviceHasBedDays(service)) {
    throw badRequest('measure', `bed_days applies only to admissions, not ${service}`);
  }
  return { service, region, stp, from: window.from, to: window.to, periodLabel: window.label, by, measure };
}
