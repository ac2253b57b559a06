import { readEnum, readNumber, writeParams } from '../../lib/url-codec.ts';
import { REGION_CODES, SERVICE_CODES, STP_CODES, type ServiceCode } from '../../lib/areas.ts';
import type { AreaLevel, Scheme } from '../../lib/api-types.ts';

export const HORIZONS = [12, 24, 36, 48, 60] as const;
export const MAX_SCHEMES = 5;

export interface DemandState {
  level: AreaLevel;
  area: string;
  service: ServiceCode;
  horizon: number;
  /** Population growth, % a year; null = the projection's own assumption for the area. */
  popGrowth: number | null;
  /** Non-demographic growth, % a year; null = none. */
  nonDemGrowth: number | null;
  /** Target bed occupancy, %. */
  occupancy: number;
  schemes: Scheme[];
}

export const DEFAULT_OCCUPANCY = 92;

function readOptionalNumber(p: URLSearchParams, key: string, min: number, max: number): number | null {
  const v = readNumber(p, key, min, max, Number.NaN);
  return Number.isNaN(v) ? null : v;
}

/** `service:percent:YYYY-MM:ramp`, e.g. `emergency_admission:5:2025-04:12`. */
export function parseScheme(text: string): Scheme | null {
  const m = /^([a-z_]+):(\d{1,3}(?:\.\d+)?):(\d{4}-(?:0[1-9]|1[0-2])):(\d{1,2})$/.exec(text);
  if (!m) return null;
  const percent = Number(m[2]);
  const rampMonths = Number(m[4]);
  if (!(SERVICE_CODES as readonly string[]).includes(m[1]!) || percent <= 0 || percent > 100 || rampMonths > 60) return null;
  return { service: m[1]!, percent, start: m[3]!, rampMonths };
}

export function formatScheme(s: Scheme): string {
  return `${s.service}:${s.percent}:${s.start}:${s.rampMonths}`;
}

export function parseDemand(p: URLSearchParams): DemandState {
  const level = readEnum(p, 'level', ['region', 'stp'] as const, 'region');
  const areas = level === 'region' ? REGION_CODES : STP_CODES;
  const areaRaw = p.get('area');
  const area = areaRaw !== null && areas.includes(areaRaw) ? areaRaw : areas[0]!;
  const schemes = p
    .getAll('scheme')
    .map(parseScheme)
    .filter((s): s is Scheme => s !== null)
    .slice(0, MAX_SCHEMES);
  return {
    level,
    area,
    service: readEnum(p, 'service', SERVICE_CODES, 'emergency_admission'),
    horizon: Number(readEnum(p, 'horizon', HORIZONS.map(String), '24')),
    popGrowth: readOptionalNumber(p, 'popGrowth', -10, 10),
    nonDemGrowth: readOptionalNumber(p, 'nonDemGrowth', -10, 10),
    occupancy: readNumber(p, 'occupancy', 50, 100, DEFAULT_OCCUPANCY),
    schemes,
  };
}

export function demandParams(s: DemandState): URLSearchParams {
  const p = writeParams([
    ['level', s.level],
    ['area', s.area],
    ['service', s.service],
    ['horizon', s.horizon],
    ['popGrowth', s.popGrowth],
    ['nonDemGrowth', s.nonDemGrowth],
    ['occupancy', s.occupancy],
  ]);
  for (const scheme of s.schemes) p.append('scheme', formatScheme(scheme));
  return p;
}
