import { formatMonth, parseMonth } from '../core/months.ts';

/**
 * Reader and writer for the long-format CSV the forecasting CLI takes (`series_id,period,value`)
 * and gives back. Every rejection names the line, so a user can fix their file.
 */
export class CsvInputError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvInputError';
  }
}

export type PeriodStyle = 'month' | 'index';
export interface InputSeries { id: string; periods: number[]; values: (number | null)[] }
export interface ParsedInput { style: PeriodStyle; series: InputSeries[] }

/** Splits one CSV record (RFC 4180 quotes, no embedded newlines). */
export function splitCsvLine(line: string, lineNo: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new CsvInputError(lineNo, 'unterminated quoted field');
        if (line[i] === '"' && line[i + 1] === '"') { v += '"'; i += 2; continue; }
        if (line[i] === '"') { i++; break; }
        v += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new CsvInputError(lineNo, 'text after a closing quote');
      out.push(v);
      i++;
    } else {
      const j = line.indexOf(',', i);
      const end = j < 0 ? line.length : j;
      out.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  return out;
}

const MISSING = new Set(['', 'NA', 'NaN', 'null']);
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseLongCsv(text: string): ParsedInput {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '', 1).map((h) => h.toLowerCase());
  if (header.join(',') !== 'series_id,period,value') {
    throw new CsvInputError(1, `header must be "series_id,period,value", got "${lines[0] ?? ''}"`);
  }
  let style: PeriodStyle | null = null;
  let styleLine = 0;
  const byId = new Map<string, { periods: number[]; values: (number | null)[]; seen: Map<number, number> }>();
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = splitCsvLine(raw, lineNo);
    if (f.length !== 3) throw new CsvInputError(lineNo, `expected 3 fields (series_id,period,value), got ${f.length}`);
    const [id, periodText, valueText] = f as [string, string, string];
    if (id === '') throw new CsvInputError(lineNo, 'empty series_id');
    const month = parseMonth(periodText);
    const thisStyle: PeriodStyle | null = month !== null ? 'month' : /^-?\d+$/.test(periodText) ? 'index' : null;
    if (!thisStyle) throw new CsvInputError(lineNo, `bad period "${periodText}": use YYYY-MM or an integer index`);
    if (style && thisStyle !== style) {
      throw new CsvInputError(lineNo, `mixed period styles: "${periodText}" is ${thisStyle === 'month' ? 'YYYY-MM' : 'an integer index'} but line ${styleLine} set ${style === 'month' ? 'YYYY-MM' : 'integer index'}`);
    }
    if (!style) { style = thisStyle; styleLine = lineNo; }
    const period = month ?? Number(periodText);
    let value: number | null = null;
    if (!MISSING.has(valueText)) {
      if (!NUMBER_RE.test(valueText)) throw new CsvInputError(lineNo, `value "${valueText}" is not a number (leave it empty or NA if missing)`);
      value = Number(valueText);
    }
    let s = byId.get(id);
    if (!s) { s = { periods: [], values: [], seen: new Map() }; byId.set(id, s); }
    const prev = s.seen.get(period);
    if (prev !== undefined) throw new CsvInputError(lineNo, `duplicate period "${periodText}" for series "${id}" (first on line ${prev})`);
    s.seen.set(period, lineNo);
    s.periods.push(period);
    s.values.push(value);
  }
  if (!style) throw new CsvInputError(2, 'no data rows');
  for (const [id, s] of byId) {
    if (!s.values.some((v) => v !== null)) throw new CsvInputError(s.seen.values().next().value!, `series "${id}" has no numeric values`);
  }
  return { style, series: [...byId].map(([id, s]) => ({ id, periods: s.periods, values: s.values })) };
}

export interface OutputRow { id: string; horizon: number; period: number; forecast: number; lo80: number; hi80: number; lo95: number; hi95: number; method: string }

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const num = (v: number): string => String(Math.round(v * 1e6) / 1e6);

export function formatOutputCsv(rows: readonly OutputRow[], style: PeriodStyle): string {
  const out = ['series_id,horizon,period,forecast,lo80,hi80,lo95,hi95,method'];
  for (const r of rows) {
    const period = style === 'month' ? formatMonth(r.period) : String(r.period);
    out.push([quote(r.id), r.horizon, period, num(r.forecast), num(r.lo80), num(r.hi80), num(r.lo95), num(r.hi95), quote(r.method)].join(','));
  }
  return out.join('\n') + '\n';
}
