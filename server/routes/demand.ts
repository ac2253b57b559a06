import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { ALL_PATIENT_ROLES } from '../auth/roles.ts';
import { parseDemandRequest } from '../demand/params.ts';
import { measureLabel, runDemand } from '../demand/run-demand.ts';
import { formatOf, sendTable } from '../http/send-table.ts';
import { ResultCache } from '../http/result-cache.ts';
import type { Table } from 'apache-arrow';
import { setAuditDetails } from '../audit/middleware.ts';

export function demandRoutes(ctx: AppContext): Router {
  const router = Router();
  const cache = ResultCache.fromEnv<Table>();
  router.get('/demand', requireRole(...ALL_PATIENT_ROLES), async (req, res) => {
    const r = parseDemandRequest(req, ctx.warehouse.period);
    setAuditDetails(res, { params: { ...r, format: formatOf(req) } });
    // The parsed request is canonical (validated values, fixed key order), so it is the key.
    const table = await cache.get(JSON.stringify(r), () => runDemand(ctx, r));
    sendTable(req, res, table, { measure: measureLabel(r), period: r.periodLabel, sourceRunId: ctx.warehouse.runId });
  });
  return router;
}
