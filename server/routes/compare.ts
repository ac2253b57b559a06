import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { ALL_PATIENT_ROLES } from '../auth/roles.ts';
import { parseCompareRequest } from '../compare/params.ts';
import { runCompareAreas, runCompareImd, type CompareResult } from '../compare/run-compare.ts';
import { formatOf, sendTable } from '../http/send-table.ts';
import { ResultCache } from '../http/result-cache.ts';
import { setAuditDetails } from '../audit/middleware.ts';

export function compareRoutes(ctx: AppContext): Router {
  const router = Router();
  const cache = ResultCache.fromEnv<CompareResult>();
  router.get('/compare', requireRole(...ALL_PATIENT_ROLES), async (req, res) => {
    const r = parseCompareRequest(req, ctx.warehouse.period);
    setAuditDetails(res, { params: { ...r, format: formatOf(req) } });
    const { table, benchmark } = await cache.get(JSON.stringify(r), () => (r.by === 'imd_decile' ? runCompareImd(ctx, r) : runCompareAreas(ctx, r)));
    const where = r.region ? r.region : 'all five regions';
    const measure = r.by === 'imd_decile'
      ? `${r.service} rates per 1,000 person-years by IMD 2019 decile, ${where} (crude: Byar 95% CI; DSR: ESP2013, Dobson)`
      : `${r.service} rates per 1,000 person-years by region and STP (crude: Byar; DSR: ESP2013, Dobson; funnels around the benchmark of all five regions)`;
    sendTable(req, res, table, {
      measure,
      period: r.periodLabel,
      sourceRunId: ctx.warehouse.runId,
      extra: { benchmark_dsr: benchmark.dsr, benchmark_crude_rate: benchmark.crude },
    });
  });
  return router;
}
