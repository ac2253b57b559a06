import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { singleParams } from '../http/query-params.ts';
import { exportOptionsFromEnv } from '../disclosure/export/limits.ts';
import { researcherRunCounts } from '../disclosure/run-counts.ts';
import { manifestForApi } from '../store/manifest-view.ts';

/**
 * The pipeline's manifest (counts, hashes, key id: no personal data), with file names instead of
 * the server's paths (`manifestForApi`); for a federation the combined manifest, each member's
 * own under `members` (`store/federation.ts`). Researchers see the run and its counts only, under
 * the research disclosure rules (the counts include opted-out patients).
 */
export function manifestRoutes(ctx: AppContext): Router {
  const router = Router();
  const w = ctx.warehouse;
  const disclosure = exportOptionsFromEnv().disclosure;
  const m = manifestForApi(w.manifest);
  const countsOnly = manifestForApi({
    schemaVersion: m.schemaVersion ?? null,
    runId: w.runId,
    finishedAt: w.finishedAt,
    counts: researcherRunCounts(w.counts, disclosure),
    // A federation: each member's counts protected on their own, as its own server would show them.
    ...(w.members.length > 1
      ? { members: w.members.map((x) => ({ label: x.label, regions: x.regions, runId: x.runId, finishedAt: x.finishedAt, period: x.period, counts: researcherRunCounts(x.counts, disclosure) })) }
      : {}),
  });
  router.get('/manifest', requireRole('planner', 'commissioner', 'researcher', 'admin'), (req, res) => {
    singleParams(req, []);
    res.set('Cache-Control', 'no-store').json(req.user!.role === 'researcher' ? countsOnly : m);
  });
  return router;
}
