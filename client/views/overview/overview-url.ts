import { readEnum, readMonth, writeParams } from '../../lib/url-codec.ts';
import { SERVICE_CODES, type ServiceCode } from '../../lib/areas.ts';

export const MAP_LEVELS = ['region', 'stp'] as const;
export const MAP_RATES = ['dsr', 'crude'] as const;

export interface OverviewState {
  service: ServiceCode;
  rate: (typeof MAP_RATES)[number];
  level: (typeof MAP_LEVELS)[number];
  from: string;
  to: string;
}

export function parseOverview(p: URLSearchParams, defaults: { from: string; to: string }): OverviewState {
  const from = readMonth(p, 'from', defaults.from);
  const to = readMonth(p, 'to', defaults.to);
  const ordered = from <= to;
  return {
    service: readEnum(p, 'service', SERVICE_CODES, 'ae_attendance'),
    rate: readEnum(p, 'rate', MAP_RATES, 'dsr'),
    level: readEnum(p, 'level', MAP_LEVELS, 'stp'),
    from: ordered ? from : defaults.from,
    to: ordered ? to : defaults.to,
  };
}

export function overviewParams(s: OverviewState): URLSearchParams {
  return writeParams([
    ['service', s.service],
    ['rate', s.rate],
    ['level', s.level],
    ['from', s.from],
    ['to', s.to],
  ]);
}
