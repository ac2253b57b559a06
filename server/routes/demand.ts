import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { ALL_PATIENT_ROLES } from '../auth/roles.ts';
import { parseDemandRequest } from '../demand/params.ts';
import { measureLabel, runDemand } from '../demand/run-demand.ts';
import { formatOf, sendTable } from '../http/send-table.ts';

export function demandRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/demand', requireRole(...ALL_PATIENT_ROLES), async (req, res) => {
    const r = parseDemandRequest(req, ctx.warehouse.period);
    formatOf(req);
    const table = await runDemand(ctx, r);
    sendTable(req, res, table, { measure: measureLabel(r), period: r.periodLabel, sourceRunId: ctx.warehouse.runId });
  });
  return router;
}
