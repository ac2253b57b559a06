import { z } from 'zod';
import { REGIONS, STPS } from '../../domain/geography.ts';
import { SERVICE_CODES, type ServiceCode } from '../../domain/services.ts';
import { parseMonth } from '../core/months.ts';
import { METHOD_NAMES, type MethodName } from '../methods/types.ts';
import { DEFAULT_COVID, type CovidWindow } from '../prepare.ts';
import type { Scheme } from '../projection/schemes.ts';

/**
 * Query parameters of GET /api/forecast, validated and bounded. Errors name the parameter so
 * the server can answer 400 problem+json with `param` set.
 */
export class ForecastParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
    this.name = 'ForecastParamError';
  }
}

export const ALLOWED_PARAMS = ['level', 'area', 'service', 'horizon', 'popGrowth', 'nonDemGrowth', 'occupancy', 'scheme', 'method', 'covid', 'format'] as const;
export const MAX_SCHEMES = 5;
export const MAX_HORIZON = 60;

export interface ForecastParams {
  level: 'region' | 'stp';
  area: string;
  region: string;
  service: ServiceCode;
  horizon: number;
  method: 'auto' | MethodName;
  popGrowthPct: number;
  nonDemGrowthPct: number;
  occupancy: number;
  schemes: Scheme[];
  covid: CovidWindow | null;
  format: 'json' | 'arrow' | 'csv';
}

const growth = (name: string) =>
  z.coerce.number({ error: `${name} must be a number (%/yr)` }).refine(Number.isFinite, `${name} must be a number (%/yr)`)
    .refine((v) => v >= -10 && v <= 10, `${name} must be between -10 and 10 (%/yr)`);

const fields = {
  level: z.enum(['region', 'stp'], { error: 'level must be region or stp' }),
  service: z.enum(SERVICE_CODES, { error: `service must be one of ${SERVICE_CODES.join(', ')}` }),
  horizon: z.coerce.number({ error: `horizon must be a whole number from 1 to ${MAX_HORIZON}` }).int(`horizon must be a whole number from 1 to ${MAX_HORIZON}`)
    .min(1, `horizon must be a whole number from 1 to ${MAX_HORIZON}`).max(MAX_HORIZON, `horizon must be at most ${MAX_HORIZON} months`),
  popGrowth: growth('popGrowth'),
  nonDemGrowth: growth('nonDemGrowth'),
  // Percent (50-100) or a fraction (0.5-1): both read naturally as "92" or "0.92".
  occupancy: z.coerce.number({ error: 'occupancy must be a number: a percentage 50-100 or a fraction 0.5-1' })
    .transform((v) => (v > 1 ? v / 100 : v))
    .refine((v) => v >= 0.5 && v <= 1, 'occupancy must be a percentage 50-100 or a fraction 0.5-1'),
  method: z.enum(['auto', ...METHOD_NAMES], { error: `method must be one of auto, ${METHOD_NAMES.join(', ')}` }),
  format: z.enum(['json', 'arrow', 'csv'], { error: 'format must be json, arrow or csv' }),
};

function field<K extends keyof typeof fields>(name: K, value: unknown): z.output<(typeof fields)[K]> {
  if (typeof value === 'string' && value.trim() === '') throw new ForecastParamError(name, `${name} is empty; give a value or leave it out`);
  const r = fields[name].safeParse(value);
  if (!r.success) throw new ForecastParamError(name, r.error.issues[0]!.message);
  return r.data as z.output<(typeof fields)[K]>;
}

export function parseScheme(text: string): Scheme {
  const parts = text.split(':');
  const bad = (why: string): never => { throw new ForecastParamError('scheme', `scheme "${text.slice(0, 60)}" ${why}; use <service>:<percent>:<YYYY-MM>:<rampMonths>`); };
  if (parts.length !== 4) bad('needs four parts');
  const [service, pct, start, ramp] = parts as [string, string, string, string];
  if (!(SERVICE_CODES as readonly string[]).includes(service)) bad(`has an unknown service "${service.slice(0, 40)}"`);
  const percent = Number(pct);
  if (!/^\d+(\.\d+)?$/.test(pct) || percent <= 0 || percent > 100) bad('percent must be a number in (0, 100]');
  const startMonth = parseMonth(start);
  if (startMonth === null) bad('start must be YYYY-MM');
  if (!/^\d{1,2}$/.test(ramp) || Number(ramp) > 60) bad('rampMonths must be a whole number 0-60');
  return { service, percent, startMonth: startMonth!, rampMonths: Number(ramp) };
}

function parseCovid(text: string | undefined): CovidWindow | null {
  if (text === undefined || text === 'default') return DEFAULT_COVID;
  if (text === 'none') return null;
  const [a, b, ...rest] = text.split(':');
  const from = parseMonth(a ?? '');
  const to = parseMonth(b ?? '');
  if (rest.length || from === null || to === null || from > to) {
    throw new ForecastParamError('covid', 'covid must be none, default, or YYYY-MM:YYYY-MM with from <= to');
  }
  return { from, to };
}

/** `query`: Express's parsed query (values are strings, or arrays when repeated). */
export function parseForecastParams(query: Record<string, unknown>, defaultPopGrowthPct: (region: string) => number): ForecastParams {
  for (const [k, v] of Object.entries(query)) {
    if (!(ALLOWED_PARAMS as readonly string[]).includes(k)) throw new ForecastParamError(k.slice(0, 40), `unknown parameter '${k.slice(0, 40)}'; allowed: ${ALLOWED_PARAMS.join(', ')}`);
    if (k !== 'scheme' && typeof v !== 'string') throw new ForecastParamError(k, `parameter '${k}' must be given once`);
  }
  const q = query as Record<string, string | undefined>;
  if (q.level === undefined) throw new ForecastParamError('level', 'level is required: region or stp');
  const level = field('level', q.level);
  if (q.area === undefined) throw new ForecastParamError('area', 'area is required: a region code or an STP code (E54...)');
  let region: string;
  if (level === 'region') {
    if (!REGIONS.some((r) => r.code === q.area)) throw new ForecastParamError('area', `unknown region "${q.area.slice(0, 40)}"; one of ${REGIONS.map((r) => r.code).join(', ')}`);
    region = q.area;
  } else {
    const stp = STPS.find((s) => s.code === q.area);
    if (!stp) throw new ForecastParamError('area', `unknown STP code "${q.area.slice(0, 40)}"; one of ${STPS.map((s) => s.code).join(', ')}`);
    region = stp.region;
  }
  if (q.service === undefined) throw new ForecastParamError('service', `service is required; one of ${SERVICE_CODES.join(', ')}`);
  const rawSchemes = query.scheme === undefined ? [] : (Array.isArray(query.scheme) ? query.scheme : [query.scheme]);
  if (rawSchemes.some((s) => typeof s !== 'string')) throw new ForecastParamError('scheme', 'scheme must be text');
  const schemeTexts = (rawSchemes as string[]).flatMap((s) => s.split(',')).filter((s) => s !== '');
  if (schemeTexts.length > MAX_SCHEMES) throw new ForecastParamError('scheme', `at most ${MAX_SCHEMES} schemes, got ${schemeTexts.length}`);
  return {
    level,
    area: q.area,
    region,
    service: field('service', q.service),
    horizon: q.horizon === undefined ? 24 : field('horizon', q.horizon),
    method: q.method === undefined ? 'auto' : field('method', q.method),
    popGrowthPct: q.popGrowth === undefined ? defaultPopGrowthPct(region) : field('popGrowth', q.popGrowth),
    nonDemGrowthPct: q.nonDemGrowth === undefined ? 0 : field('nonDemGrowth', q.nonDemGrowth),
    occupancy: q.occupancy === undefined ? 0.92 : field('occupancy', q.occupancy),
    schemes: schemeTexts.map(parseScheme),
    covid: parseCovid(q.covid),
    format: q.format === undefined ? 'json' : field('format', q.format),
  };
}
