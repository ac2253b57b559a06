/** `npm run tokens`: adds a user, prints the token once, stores only its hash; bad flags fail clearly. */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAuthStore } from '../../server/auth/auth-store.ts';
import { REPO_ROOT } from '../../server/start.ts';
import { tempDir } from './helpers.ts';

const tokens = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/auth/tokens-cli.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('npm run tokens', () => {
  it('adds a user whose printed token authenticates, and stores no token in clear', async () => {
    const file = path.join(tempDir('lhcre-tokens-'), 'auth.json');
    const r = tokens('--auth-config', file, '--user', 'alice', '--role', 'commissioner');
    expect(r.status, r.stderr).toBe(0);
    const token = r.stdout.trim().split('\n').at(-1)!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const store = await loadAuthStore(file);
    expect(store.authenticate(token)).toMatchObject({ name: 'alice', role: 'commissioner' });
    expect(store.authenticate(`${token}x`)).toBeNull();
    // A second user keeps the first.
    const second = tokens('--auth-config', file, '--user', 'bob', '--role', 'researcher');
    expect(second.status).toBe(0);
    expect((await loadAuthStore(file)).authenticate(token)).toMatchObject({ name: 'alice' });
  });

  it('refuses an unknown role and a bad user name with a one-line message', () => {
    const file = path.join(tempDir('lhcre-tokens-'), 'auth.json');
    const role = tokens('--auth-config', file, '--user', 'eve', '--role', 'superuser');
    expect(role.status).not.toBe(0);
    expect(role.stderr).toMatch(/--role.*must be one of planner, commissioner, researcher, admin/);
    const user = tokens('--auth-config', file, '--user', "x'; DROP", '--role', 'planner');
    expect(user.status).not.toBe(0);
    expect(user.stderr).toMatch(/--user.*letters, digits/);
    expect(`${role.stderr}${user.stderr}`).not.toMatch(/\n\s+at /);
  });
});
