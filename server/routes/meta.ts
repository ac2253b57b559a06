import { Router } from 'express';
import { AGE_BAND_CODES, SEXES } from '../../domain/age-bands.ts';
import { REGIONS, stpsOfRegion } from '../../domain/geography.ts';
import { SERVICES } from '../../domain/services.ts';
import { loadStpPopulations } from '../../domain/reference-data.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { singleParams } from '../http/query-params.ts';
import { exportOptionsFromEnv } from '../disclosure/export/limits.ts';
import { researcherRunCounts } from '../disclosure/run-counts.ts';

/**
 * Everything the client needs to build its menus, plus the run and freshness of the data (and,
 * for a federation, each member's run). Researchers get the run's counts under the research
 * disclosure rules.
 */
export function metaRoutes(ctx: AppContext): Router {
  const router = Router();
  const w = ctx.warehouse;
  const residents = loadStpPopulations();
  const body = {
    // ONS mid-2019 residents (the reference data), so the client can say what share of the real
    // population the record holds (a synthetic sample, or a real record's registered list).
    regions: REGIONS.map((r) => ({
      code: r.code,
      name: r.name,
      residentsMid2019: residents.filter((s) => s.region === r.code).reduce((n, s) => n + s.populationMid2019, 0),
      stps: stpsOfRegion(r.code).map((s) => ({ code: s.code, name: s.name, residentsMid2019: residents.find((x) => x.stpCode === s.code)?.populationMid2019 ?? null })),
    })),
    services: SERVICES.map((s) => ({ code: s.code, name: s.name, hasBedDays: s.hasBedDays })),
    ageBands: [...AGE_BAND_CODES],
    sexes: [...SEXES],
    imdDeciles: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    period: w.period,
    run: { runId: w.runId, keyId: w.keyId, finishedAt: w.finishedAt, counts: w.counts },
    freshness: { lastEventMonth: w.period.to, builtAt: w.finishedAt },
    // A federation (several regional warehouses served as one): each member's run and period.
    ...(w.members.length > 1
      ? { members: w.members.map((m) => ({ label: m.label, regions: m.regions, runId: m.runId, keyId: m.keyId, finishedAt: m.finishedAt, period: m.period })) }
      : {}),
  };
  const researcherBody = { ...body, run: { ...body.run, counts: researcherRunCounts(w.counts, exportOptionsFromEnv().disclosure) } };
  router.get('/meta', requireRole('planner', 'commissioner', 'researcher', 'admin'), (req, res) => {
    singleParams(req, []);
    res.set('Cache-Control', 'no-store').json({ ...(req.user!.role === 'researcher' ? researcherBody : body), role: req.user!.role });
  });
  return router;
}
