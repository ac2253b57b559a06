import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
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
import { mountStatic } from './http/static.ts';

const ROUTES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'routes');
export const MAX_URL_LENGTH = 2048;

/** Route modules other helpers own; mounted when their file exists. */
const OPTIONAL_ROUTES = [
  { file: 'forecast.ts', factory: 'forecastRoutes' },
  { file: 'exports.ts', factory: 'exportsRoutes' },
  { file: 'audit.ts', factory: 'auditRoutes' },
] as const;

async function optionalRouters(ctx: AppContext): Promise<Router[]> {
  const routers: Router[] = [];
  for (const { file, factory } of OPTIONAL_ROUTES) {
    const full = path.join(ROUTES_DIR, file);
    if (!existsSync(full)) continue;
    const mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
    const make = mod[factory];
    if (typeof make !== 'function') throw new Error(`server/routes/${file} must export ${factory}(ctx)`);
    routers.push((make as (c: AppContext) => Router)(ctx));
  }
  return routers;
}

/**
 * The Express app. Routers are mounted at /api and declare paths relative to it ('/demand').
 * `authenticate` sets req.user for every /api request; each route states its roles.
 */
export async function createApp(ctx: AppContext): Promise<express.Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Vega compiles its expressions with Function(); nothing else needs eval.
          'script-src': ["'self'", "'unsafe-eval'"],
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
  api.use(express.json({ limit: '16kb' }));
  api.use(healthRoutes(ctx));
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use(authenticate(ctx.auth));
  api.use(metaRoutes(ctx), demandRoutes(ctx), compareRoutes(ctx), manifestRoutes(ctx));
  for (const r of await optionalRouters(ctx)) api.use(r);
  api.use((req, res) => sendProblem(res, 404, `No API endpoint ${req.method} ${req.path}.`));
  app.use('/api', api);

  if (ctx.config.staticDir) mountStatic(app, ctx.config.staticDir);
  app.use((req, res) => sendProblem(res, 404, `Nothing at ${req.path.slice(0, 100)}.`));
  installErrorHandlers(app, ctx.logger);
  return app;
}
