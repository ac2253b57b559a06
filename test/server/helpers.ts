import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';
import { createAuthStore } from '../../server/auth/auth-store.ts';
import { tokenHash } from '../../server/auth/tokens.ts';
import { ROLES, type Role } from '../../server/auth/roles.ts';
import { startServer, type RunningServer } from '../../server/start.ts';

/** Fixed test tokens (43 base64url characters, like real ones). */
export const TOKENS: Record<Role, string> = Object.fromEntries(
  ROLES.map((r) => [r, `test-${r}-token-`.padEnd(43, 'x')]),
) as Record<Role, string>;

export function testAuthStore() {
  return createAuthStore({ users: ROLES.map((role) => ({ name: `t-${role}`, role, tokenHash: tokenHash(TOKENS[role]) })) });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface FixtureServer extends RunningServer {
  warehouseDir: string;
  cleanup(): Promise<void>;
}

/** Builds the fixture warehouse in a temp folder and serves it on 127.0.0.1:<ephemeral>. */
export async function startFixtureServer(options: { staticDir?: string | null } = {}): Promise<FixtureServer> {
  const dir = tempDir('lhcre-fx-');
  const warehouseDir = path.join(dir, 'warehouse');
  await buildFixtureWarehouse(warehouseDir);
  const running = await startServer({
    warehouseDir,
    auth: testAuthStore(),
    port: 0,
    staticDir: options.staticDir ?? null,
    stateDir: path.join(dir, 'state'),
    logger: pino({ level: 'silent' }),
    threads: 1,
  });
  return {
    ...running,
    warehouseDir,
    async cleanup() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function get(base: string, pathAndQuery: string, role?: Role | string, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (role) h.authorization = `Bearer ${(TOKENS as Record<string, string>)[role] ?? role}`;
  return fetch(`${base}${pathAndQuery}`, { headers: h });
}

/** A request with the path sent byte for byte (fetch would normalise `..` and encodings). */
export function rawRequest(
  port: number,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}
