import { DateDay, Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { ALL_PATIENT_ROLES } from '../auth/roles.ts';
import { badRequest } from '../http/problem.ts';
import { sendTable } from '../http/send-table.ts';
import { setAuditDetails } from '../audit/middleware.ts';
import { monthOf } from '../../forecast/core/months.ts';
import { ForecastParamError, parseForecastParams, type ForecastParams } from '../../forecast/api/params.ts';
import { FamilyCache, forecastResponse, type ForecastData, type ForecastResponse } from '../../forecast/api/respond.ts';
import { DEFAULT_REGION_POP_GROWTH_PCT } from '../../forecast/projection/population.ts';
import type { RegionCode } from '../../domain/geography.ts';

/**
 * GET /api/forecast: one series' history, fitted values, reconciled forecast with 80/95%
 * intervals, backtest and planning scenario (JSON, default), or the forecast table as
 * Arrow/CSV (`format=arrow|csv`). Forecasts are computed on demand from the rollups and cached
 * per region family; scenario parameters only change the cheap projection.
 */
export function forecastRoutes(ctx: AppContext): Router {
  const router = Router();
  const cache = new FamilyCache();
  const rows = (id: string, params: Record<string, string>) => {
    const q = ctx.queries.prepare(id, params);
    return ctx.db.queryRows(q.sql, q.params);
  };
  const data: ForecastData = {
    period: ctx.warehouse.period,
    familyCells: async (region, service) =>
      (await rows('forecast/series', { region, service })).map((r) => ({ stp: String(r.stp_code), month: monthOf(String(r.month)), events: Number(r.events) })),
    baseYear: async (level, area, service, from, to) =>
      (await rows('forecast/base_year', { level, area, service, from: `${from}-01`, to: `${to}-01` })).map((r) => ({
        stp: String(r.stp_code), ageBand: String(r.age_band) as never, sex: String(r.sex), events: Number(r.events), bedDays: Number(r.bed_days), population: Number(r.population),
      })),
    baseMonths: async (level, area, service, from, to) =>
      (await rows('forecast/base_months', { level, area, service, from: `${from}-01`, to: `${to}-01` })).map((r) => ({ stp: String(r.stp_code), month: monthOf(String(r.month)), events: Number(r.events) })),
  };

  router.get('/forecast', requireRole(...ALL_PATIENT_ROLES), async (req, res) => {
    const p = parse(req);
    setAuditDetails(res, { params: { ...p } });
    const body = await forecastResponse(p, data, cache);
    if (p.format === 'json') {
      setAuditDetails(res, { rows: body.history.length + body.forecast.length });
      res.set('Cache-Control', 'no-store').json(body);
      return;
    }
    sendTable(req, res, forecastTable(body), {
      measure: `${p.service} forecast (${body.method})`,
      period: `${body.forecast[0]?.month ?? ''} to ${body.forecast.at(-1)?.month ?? ''}`,
      sourceRunId: ctx.warehouse.runId,
    });
  });
  return router;
}

function parse(req: Request): ForecastParams {
  try {
    return parseForecastParams(req.query as Record<string, unknown>, (r) => DEFAULT_REGION_POP_GROWTH_PCT[r as RegionCode] ?? 0.5);
  } catch (e) {
    if (e instanceof ForecastParamError) throw badRequest(e.param, e.message);
    throw e;
  }
}

/** The warehouse `forecasts` layout (README) for this one series. */
function forecastTable(b: ForecastResponse): Table {
  const out = { kind: [] as string[], month: [] as Date[], value: [] as (number | null)[], lo80: [] as (number | null)[], hi80: [] as (number | null)[], lo95: [] as (number | null)[], hi95: [] as (number | null)[] };
  const push = (kind: string, month: string, value: number | null, bands?: { lo80: number; hi80: number; lo95: number; hi95: number }) => {
    out.kind.push(kind);
    out.month.push(new Date(`${month}-01T00:00:00Z`));
    out.value.push(value);
    out.lo80.push(bands?.lo80 ?? null);
    out.hi80.push(bands?.hi80 ?? null);
    out.lo95.push(bands?.lo95 ?? null);
    out.hi95.push(bands?.hi95 ?? null);
  };
  for (const h of b.history) push('history', h.month, h.value);
  for (const f of b.fitted) push('fitted', f.month, f.value);
  for (const f of b.forecast) push('forecast', f.month, f.value, f);
  const n = out.kind.length;
  const same = (v: string) => vectorFromArray(Array.from({ length: n }, () => v), new Utf8());
  const dbl = (a: (number | null)[]) => vectorFromArray(a, new Float64());
  return new Table({
    level: same(b.series.level),
    area_code: same(b.series.area),
    service: same(b.series.service),
    month: vectorFromArray(out.month, new DateDay()),
    kind: vectorFromArray(out.kind, new Utf8()),
    value: dbl(out.value),
    lo80: dbl(out.lo80),
    hi80: dbl(out.hi80),
    lo95: dbl(out.lo95),
    hi95: dbl(out.hi95),
    method: same(`${b.method}: ${b.methodDetail}`),
  });
}
