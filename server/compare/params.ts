import type { Request } from 'express';
import { REGIONS } from '../../domain/geography.ts';
import { SERVICE_CODES, type ServiceCode } from '../../domain/services.ts';
import { badRequest } from '../http/problem.ts';
import { oneOf, parseWindow, singleParams } from '../http/query-params.ts';

export interface CompareRequest {
  service: ServiceCode;
  from: string;
  to: string;
  periodLabel: string;
  by: 'area' | 'imd_decile';
  region: string | null;
}

const ALLOWED = ['service', 'from', 'to', 'by', 'region', 'format'];

export function parseCompareRequest(req: Request, period: { from: string; to: string }): CompareRequest {
  const q = singleParams(req, ALLOWED);
  if (q.service === undefined) throw badRequest('service', `service is required; one of ${SERVICE_CODES.join(', ')}`);
  const service = oneOf('service', q.service, SERVICE_CODES, 'service');
  const window = parseWindow(q, period);
  const by = q.by === undefined ? 'area' : oneOf('by', q.by, ['imd_decile'] as const, 'comparison dimension');
  const region = q.region === undefined ? null : oneOf('region', q.region, REGIONS.map((r) => r.code), 'region');
  return { service, from: window.from, to: window.to, periodLabel: window.label, by, region };
}
