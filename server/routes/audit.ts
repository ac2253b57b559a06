import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { FileAuditLog } from '../audit/index.ts';
import { badRequest, sendProblem } from '../http/problem.ts';

const QuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    before: z.coerce.number().int().min(1).optional(),
    user: z.string().min(1).max(200).optional(),
    endpoint: z.string().regex(/^\/api\/[a-z0-9/:*_-]{0,100}$/, 'must be a route pattern such as /api/exports/:id').optional(),
    status: z.string().regex(/^([1-5]\d\d|[1-5]xx)$/, 'must be a status such as 403 or a class such as 4xx').optional(),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').optional(),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').optional(),
  })
  .strict();

/** GET /api/audit (admin): newest entries first, with the state of the hash chain; filters by user, endpoint, status and date. */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req: Request, res: Response) => {
    const parsed = QuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0] ?? 'query');
      throw badRequest(param, issue.code === 'unrecognized_keys' ? `unknown parameter '${param}': use limit, before, user, endpoint, status, from and to` : `${param}: ${issue.message}`);
    }
    const log = ctx.audit;
    if (!(log instanceof FileAuditLog)) {
      sendProblem(res, 503, 'The audit log is not configured on this server.');
      return;
    }
    const { limit, before, ...filter } = parsed.data;
    const [chain, page] = await Promise.all([log.verify(), log.read({ limit, before, filter })]);
    res.set('Cache-Control', 'no-store').json({ chain, total: page.total, matched: page.matched, facets: page.facets, entries: page.entries });
  });
  return router;
}
