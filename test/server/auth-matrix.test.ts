import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../server/auth/roles.ts';
import { REPO_ROOT } from '../../server/start.ts';
import { TOKENS, startFixtureServer, type FixtureServer } from './helpers.ts';

let srv: FixtureServer;
beforeAll(async () => {
  srv = await startFixtureServer();
});
afterAll(async () => {
  await srv.cleanup();
});

interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  allowed: readonly Role[];
  /** Owned by another module: only checked when its route file exists. */
  routeFile?: string;
}

const STAFF: Role[] = ['planner', 'commissioner', 'admin'];
const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/api/meta', allowed: ROLES },
  { method: 'GET', path: '/api/manifest', allowed: ROLES },
  { method: 'GET', path: '/api/demand?service=ae_attendance', allowed: STAFF },
  { method: 'GET', path: '/api/demand?service=ae_attendance&measure=crude_rate&by=month&format=csv', allowed: STAFF },
  { method: 'GET', path: '/api/compare?service=ae_attendance', allowed: STAFF },
  { method: 'GET', path: '/api/compare?service=ae_attendance&by=imd_decile', allowed: STAFF },
  { method: 'GET', path: '/api/forecast?level=region&area=greater-manchester&service=ae_attendance&horizon=12', allowed: STAFF, routeFile: 'forecast.ts' },
  // The contract gives admin everything plus the audit; the export module lets admins export too.
  { method: 'GET', path: '/api/exports', allowed: ['researcher', 'admin'], routeFile: 'exports.ts' },
  { method: 'POST', path: '/api/exports', allowed: ['researcher', 'admin'], routeFile: 'exports.ts' },
  // An id nobody made: allowed roles get past auth (to a 404), the others never learn that much.
  { method: 'GET', path: '/api/exports/0123456789abcdef?format=csv', allowed: ['researcher', 'admin'], routeFile: 'exports.ts' },
  { method: 'GET', path: '/api/exports/0123456789abcdef/metadata', allowed: ['researcher', 'admin'], routeFile: 'exports.ts' },
  { method: 'GET', path: '/api/audit', allowed: ['admin'], routeFile: 'audit.ts' },
];

async function call(e: Endpoint, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(`${srv.url}${e.path}`, { method: e.method, headers, body: e.method === 'POST' ? '{}' : undefined });
}

describe.each(ENDPOINTS)('$method $path', (e) => {
  const present = !e.routeFile || existsSync(path.join(REPO_ROOT, 'server/routes', e.routeFile));

  it.runIf(present)('401 without a token, with a wrong token, and with a malformed header', async () => {
    for (const header of [undefined, `Bearer ${'z'.repeat(43)}`, 'Basic dXNlcjpwYXNz', `Bearer ${TOKENS.admin} extra`, 'Bearer ']) {
      const r = await call(e, header);
      expect(r.status, String(header)).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it.runIf(present).each(ROLES)('role %s', async (role) => {
    const r = await call(e, `Bearer ${TOKENS[role]}`);
    if (e.allowed.includes(role)) {
      expect([401, 403], `${role} should pass auth`).not.toContain(r.status);
      if (!e.routeFile) expect(r.status).toBe(200);
    } else {
      expect(r.status).toBe(403);
      const body = (await r.json()) as { title: string; detail: string };
      expect(body.title).toBe('Forbidden');
      expect(body.detail).toContain(role);
    }
  });
});

it('health and openapi need no token', async () => {
  expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  expect((await fetch(`${srv.url}/api/openapi.json`)).status).toBe(200);
});
