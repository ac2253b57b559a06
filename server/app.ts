import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.ts';
import { authenticate } from './auth/require-role.ts';
import { installErrorHandlers } from './http/errors.ts';
import { sendProblem } from './http/problem.ts';
import { buildOpenApi } from './http/openapi.ts';
import { healthRoutes } from './routes/health.ts';
import { metaRoutes } from './routes/meta.ts';
import { demandRoutes } from './routes/demand.ts';
import { compareRoutes } from './routes/compare.ts';
import { manifestRoutes } from './routes/manifest.ts';
import { forecastRoutes } from './routes/forecast.ts';
import { exportsRoutes } from './routes/exports.ts';
import { auditRoutes } from './routes/audit.ts';
import { auditDataRequests } from './audit/index.ts';
import { jsonBody } from './http/json-body.ts';
import { mountStatic } from './http/static.ts';

export const MAX_URL_LENGTH = 2048;

/**
 * The Express app. Routers are mounted at /api and declare paths relative to it ('/demand').
 * `authenticate` sets req.user for every request; each route states its roles.
 */
export async function createApp(ctx: AppContext): Promise<express.Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  // First, before anything that can answer: every request under /api/demand, compare, forecast,
  // exports and audit is audited, whoever answers it (URL length check, body parser, role check,
  // route, 404 for an unknown subpath, error handler). authenticate never refuses by itself; it
  // runs first so the entry names the caller even when the request fails before any route.
  app.use(authenticate(ctx.auth));
  app.use(auditDataRequests(ctx));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // No 'unsafe-eval': the client runs Vega with its expression interpreter (ast: true).
          'script-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.originalUrl.length > MAX_URL_LENGTH) {
      sendProblem(res, 414, `The URL is longer than ${MAX_URL_LENGTH} characters.`);
      return;
    }
    next();
  });

  const openapi = await buildOpenApi(process.env.npm_package_version ?? '0.1.0');
  const api = express.Router();
  api.use(jsonBody());
  api.use(healthRoutes(ctx));
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use(metaRoutes(ctx), demandRoutes(ctx), compareRoutes(ctx), manifestRoutes(ctx));
  api.use(forecastRoutes(ctx), exportsRoutes(ctx), auditRoutes(ctx));
  api.use((req, res) => sendProblem(res, 404, `No API endpoint ${req.method} ${req.path}.`));
  app.use('/api', api);

  if (ctx.config.staticDir) mountStatic(app, ctx.config.staticDir);
  app.use((req, res) => sendProblem(res, 404, `Nothing at ${req.path.slice(0, 100)}.`));
  installErrorHandlers(app, ctx.logger);
  return app;
}
