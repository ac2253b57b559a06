import { Router } from 'express';
import type { AppContext } from '../context.ts';

/** Liveness without auth: says nothing about the data. */
export function healthRoutes(_ctx: AppContext): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  return router;
}
