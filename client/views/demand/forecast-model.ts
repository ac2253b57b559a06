/**
 * The /api/forecast answer, normalised for the charts: months as `YYYY-MM`, numbers or null.
 * The reader is strict about types (a value that is not a finite number becomes null, a month it
 * cannot read drops the row) so a server change shows as a gap, never as a wrong number.
 */
export interface SeriesPoint {
  month: string;
  value: number | null;
}

export interface ForecastPoint extends SeriesPoint {
  lo80: number | null;
  hi80: number | null;
  lo95: number | null;
  hi95: number | null;
}

export interface ScenarioPoint extends SeriesPoint {
  baseline: number | null;
  demographic: number | null;
  nonDemographic: number | null;
  avoided: number | null;
  bedDays: number | null;
  beds: number | null;
}

export interface BacktestSummary {
  mase: number | null;
  smape: number | null;
  cov80: number | null;
  cov95: number | null;
  naiveMase: number | null;
  naiveSmape: number | null;
  naiveCov80: number | null;
  naiveCov95: number | null;
}

export interface HorizonScore extends BacktestSummary {
  h: number;
}

export interface Candidate {
  method: string;
  mase: number | null;
  smape: number | null;
}

export interface ForecastModel {
  method: string;
  detail: string;
  history: (SeriesPoint & { flag: string })[];
  fitted: SeriesPoint[];
  forecast: ForecastPoint[];
  covid: { from: string; to: string; handling: string } | null;
  backtest: BacktestSummary | null;
  byHorizon: HorizonScore[];
  origins: string[];
  candidates: Candidate[];
  scenario: ScenarioPoint[];
  assumptions: Record<string, number | string | null>;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `YYYY-MM`, `YYYY-MM-DD` or a month index (year * 12 + month - 1) to `YYYY-MM`. */
export function toMonth(v: unknown): string | null {
  if (typeof v === 'string') {
    const m = /^(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?/.exec(v);
    return m ? `${m[1]}-${m[2]}` : null;
  }
  if (typeof v === 'number' && Number.isInteger(v) && v > 1900 * 12) {
    return `${Math.floor(v / 12)}-${String((v % 12) + 1).padStart(2, '0')}`;
  }
  return null;
}

function monthOf(o: Obj): string | null {
  return toMonth(o.month ?? o.period);
}

function points<T>(list: unknown, make: (o: Obj, month: string) => T): T[] {
  const out: T[] = [];
  for (const item of arr(list)) {
    if (!isObj(item)) continue;
    const month = monthOf(item);
    if (month) out.push(make(item, month));
  }
  return out;
}

function scoresOf(v: Obj): BacktestSummary {
  return {
    mase: num(v.mase), smape: num(v.smape), cov80: num(v.cov80), cov95: num(v.cov95),
    naiveMase: num(v.naiveMase), naiveSmape: num(v.naiveSmape), naiveCov80: num(v.naiveCov80), naiveCov95: num(v.naiveCov95),
  };
}

function summaryOf(v: unknown): BacktestSummary | null {
  return isObj(v) ? scoresOf(v) : null;
}

export function normaliseForecast(json: unknown): ForecastModel {
  const root: Obj = isObj(json) ? json : {};
  const body: Obj = root;
  const backtestRaw = isObj(body.backtest) ? body.backtest : null;
  const covidRaw = isObj(body.covid) ? body.covid : null;
  const scenarioRaw = isObj(root.scenario) ? root.scenario : null;
  const scenarioList = scenarioRaw ? (scenarioRaw.projected ?? scenarioRaw.months ?? scenarioRaw.rows) : root.scenario;
  const assumptions = scenarioRaw && isObj(scenarioRaw.params) ? scenarioRaw.params : isObj(root.assumptions) ? root.assumptions : null;
  const covidFrom = covidRaw ? toMonth(covidRaw.from) : null;
  const covidTo = covidRaw ? toMonth(covidRaw.to) : null;
  return {
    method: str(body.method),
    detail: str(body.methodDetail ?? body.detail),
    history: points(body.history, (o, month) => ({ month, value: num(o.value), flag: str(o.flag) || 'observed' })),
    fitted: points(body.fitted, (o, month) => ({ month, value: num(o.value) })),
    forecast: points(body.forecast, (o, month) => ({ month, value: num(o.value), lo80: num(o.lo80), hi80: num(o.hi80), lo95: num(o.lo95), hi95: num(o.hi95) })),
    covid: covidFrom && covidTo ? { from: covidFrom, to: covidTo, handling: str(covidRaw?.handling) } : null,
    backtest: summaryOf(backtestRaw?.summary ?? backtestRaw),
    byHorizon: arr(backtestRaw?.byHorizon)
      .filter(isObj)
      .map((o) => ({ h: num(o.h) ?? 0, ...scoresOf(o) })),
    origins: arr(backtestRaw?.origins)
      .map(toMonth)
      .filter((m): m is string => m !== null),
    candidates: arr(backtestRaw?.candidates ?? body.candidates)
      .filter(isObj)
      .map((o) => ({ method: str(o.method), mase: num(o.mase), smape: num(o.smape) })),
    scenario: points(scenarioList, (o, month) => ({
      month,
      value: num(o.value),
      baseline: num(o.baseline),
      demographic: num(o.demographic),
      nonDemographic: num(o.nonDemographic),
      avoided: num(o.avoided),
      bedDays: num(o.bedDays),
      beds: num(o.beds),
    })),
    assumptions: assumptions ? Object.fromEntries(Object.entries(assumptions).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' ? v : null])) : {},
  };
}

export type LineSeries = 'Observed' | 'Fitted' | 'Forecast' | 'Planning scenario';

/** One long table for the line layer: colour and dash by series, one legend. */
export function lineRows(m: ForecastModel): { month: string; value: number | null; series: LineSeries }[] {
  return [
    ...m.history.map((p) => ({ month: p.month, value: p.value, series: 'Observed' as const })),
    ...m.fitted.map((p) => ({ month: p.month, value: p.value, series: 'Fitted' as const })),
    ...m.forecast.map((p) => ({ month: p.month, value: p.value, series: 'Forecast' as const })),
    ...m.scenario.map((p) => ({ month: p.month, value: p.value, series: 'Planning scenario' as const })),
  ];
}
