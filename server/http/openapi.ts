import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const OPENAPI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../openapi');

type Obj = Record<string, unknown>;

/**
 * OpenAPI 3.1 for the whole API: every `server/openapi/<area>.ts` exports `paths` (and may export
 * `schemas` for components). A path defined twice is a bug and fails start-up.
 */
export async function buildOpenApi(version: string): Promise<Obj> {
  const paths: Obj = {};
  const schemas: Obj = {
    Problem: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail'],
      properties: {
        type: { type: 'string', example: 'about:blank' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string', description: 'What was wrong, in words' },
        param: { type: 'string', description: 'The request parameter at fault (400s)' },
        errorId: { type: 'string', description: 'Quote this when reporting a 500' },
      },
    },
  };
  const files = (await readdir(OPENAPI_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(OPENAPI_DIR, f)).href)) as { paths?: Obj; schemas?: Obj };
    for (const [p, item] of Object.entries(mod.paths ?? {})) {
      if (p in paths) throw new Error(`OpenAPI path ${p} is defined twice (second in server/openapi/${f})`);
      paths[p] = item;
    }
    Object.assign(schemas, mod.schemas ?? {});
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'lhcre-planner API',
      version,
      description: 'Demand, comparison, forecasts and disclosure-controlled research exports for the five LHCRE regions. Data endpoints return Arrow IPC streams by default (format=csv|json for download).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `npm run tokens`' } },
      schemas,
    },
  };
}
