import { readEnum, readMonth, writeParams } from '../../lib/url-codec.ts';
import { SERVICE_CODES, type ServiceCode } from '../../lib/areas.ts';

export const RATE_KINDS = ['dsr', 'crude'] as const;
export type RateKind = (typeof RATE_KINDS)[number];
export const TREND_LEVELS = ['region', 'stp'] as const;

export interface CompareState {
  service: ServiceCode;
  rate: RateKind;
  from: string;
  to: string;
  trendLevel: (typeof TREND_LEVELS)[number];
}

export function parseCompare(p: URLSearchParams, defaults: { from: string; to: string }): CompareState {
  const from = readMonth(p, 'from', defaults.from);
  const to = readMonth(p, 'to', defaults.to);
  const ordered = from <= to;
  return {
    service: readEnum(p, 'service', SERVICE_CODES, 'emergency_admission'),
    rate: readEnum(p, 'rate', RATE_KINDS, 'dsr'),
    from: ordered ? from : defaults.from,
    to: ordered ? to : defaults.to,
    trendLevel: readEnum(p, 'trend', TREND_LEVELS, 'region'),
  };
}

export function compareParams(s: CompareState): URLSearchParams {
  return writeParams([
    ['service', s.service],
    ['rate', s.rate],
    ['from', s.from],
    ['to', s.to],
    ['trend', s.trendLevel],
  ]);
}
