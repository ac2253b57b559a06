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
  })
  .strict();

/** GET /api/audit (admin): newest entries first, with the state of the hash chain. */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req: Request, res: Response) => {
    const parsed = QuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0] ?? 'query');
      throw badRequest(param, issue.code === 'unrecognized_keys' ? `unknown parameter '${param}': use limit and before` : `${param}: ${issue.message}`);
    }
    const log = ctx.audit;
    if (!(log instanceof FileAuditLog)) {
      sendProblem(res, 503, 'The audit log is not configured on this server.');
      return;
    }
    const [chain, page] = await Promise.all([log.verify(), log.read(parsed.data)]);
    res.set('Cache-Control', 'no-store').json({ chain, total: page.total, entries: page.entries });
  });
  return router;
}
