import type { Request } from 'express';
import { badRequest } from './problem.ts';

const MAX_VALUE_LENGTH = 200;

/**
 * The query string as single string values. Rejects repeated and unknown parameters (a typo
 * like `regoin=` silently ignored would show the wrong numbers), over-long values and control
 * characters, naming the parameter.
 */
export function singleParams(req: Request, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query)) {
    const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
    if (!allowed.includes(key)) {
      throw badRequest(shown, `unknown parameter '${shown}'; allowed: ${allowed.join(', ')}`);
    }
    if (Array.isArray(value)) throw badRequest(key, `parameter '${key}' is repeated; give it once`);
    if (typeof value !== 'string') throw badRequest(key, `parameter '${key}' must be a plain value`);
    if (value.length > MAX_VALUE_LENGTH) throw badRequest(key, `parameter '${key}' is too long (max ${MAX_VALUE_LENGTH} characters)`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw badRequest(key, `parameter '${key}' contains control characters`);
    out[key] = value;
  }
  return out;
}

/** Short, printable echo of a bad value for an error message. */
export function shown(value: string): string {
  const cut = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return JSON.stringify(cut);
}

/** One of a fixed set of codes, or a 400 naming the parameter and what is allowed. */
export function oneOf<T extends string>(param: string, value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.length <= 20 ? `; one of ${allowed.join(', ')}` : '';
  throw badRequest(param, `unknown ${what} ${shown(value)}${list}`);
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** 'YYYY-MM' -> 'YYYY-MM-01', or a 400 naming the parameter. */
export function parseMonth(param: string, value: string): string {
  const m = MONTH_RE.exec(value);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12 || Number(m[1]) < 1900) {
    throw badRequest(param, `${param} must be a month as YYYY-MM (e.g. 2019-04), got ${shown(value)}`);
  }
  return `${value}-01`;
}

/** from/to as first-of-month dates, defaulting to the warehouse period and kept inside it. */
export function parseWindow(
  q: Record<string, string>,
  period: { from: string; to: string },
): { from: string; to: string; label: string } {
  const from = q.from !== undefined ? parseMonth('from', q.from) : `${period.from}-01`;
  const to = q.to !== undefined ? parseMonth('to', q.to) : `${period.to}-01`;
  if (from > to) throw badRequest('from', `from (${from.slice(0, 7)}) is after to (${to.slice(0, 7)})`);
  if (from < `${period.from}-01` || from > `${period.to}-01`) {
    throw badRequest('from', `from must be within the data period ${period.from} to ${period.to}`);
  }
  if (to > `${period.to}-01` || to < `${period.from}-01`) {
    throw badRequest('to', `to must be within the data period ${period.from} to ${period.to}`);
  }
  return { from, to, label: `${from.slice(0, 7)} to ${to.slice(0, 7)}` };
}
