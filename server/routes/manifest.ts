import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { singleParams } from '../http/query-params.ts';
import { exportOptionsFromEnv } from '../disclosure/export/limits.ts';
import { researcherRunCounts } from '../disclosure/run-counts.ts';
import { manifestForApi } from '../store/manifest-view.ts';

/**
 * The pipeline's manifest (counts, hashes, key id: no personal data), with file names instead of
 * the server's paths (`manifestForApi`). Researchers see the run and its counts only, under the
 * research disclosure rules (the counts include opted-out patients).
 */
export function manifestRoutes(ctx: AppContext): Router {
  const router = Router();
  const m = manifestForApi(ctx.warehouse.manifest);
  const countsOnly = manifestForApi({
    schemaVersion: m.schemaVersion ?? null,
    runId: ctx.warehouse.runId,
    finishedAt: ctx.warehouse.finishedAt,
    counts: researcherRunCounts(ctx.warehouse.counts, exportOptionsFromEnv().disclosure),
  });
  router.get('/manifest', requireRole('planner', 'commissioner', 'researcher', 'admin'), (req, res) => {
    singleParams(req, []);
    res.set('Cache-Control', 'no-store').json(req.user!.role === 'researcher' ? countsOnly : m);
  });
  return router;
}
