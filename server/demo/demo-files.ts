import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES } from '../auth/roles.ts';
import { authConfigSchema } from '../auth/auth-store.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';

/** Creates `.demo/key` (32 random bytes as hex, mode 600) unless it exists; true when created. */
export function ensureDemoKey(demoDir: string): { file: string; created: boolean } {
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  const file = path.join(demoDir, 'key');
  if (existsSync(file)) return { file, created: false };
  writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return { file, created: true };
}

/**
 * One demo user per role in `.demo/auth.json` (hashes only) with their tokens in
 * `.demo/tokens.txt` (mode 600). Kept across runs while both files agree.
 */
export function ensureDemoUsers(demoDir: string): { authFile: string; tokensFile: string; created: boolean } {
  const authFile = path.join(demoDir, 'auth.json');
  const tokensFile = path.join(demoDir, 'tokens.txt');
  if (existsSync(authFile) && existsSync(tokensFile)) {
    try {
      const config = authConfigSchema.parse(JSON.parse(readFileSync(authFile, 'utf8')));
      const lines = readFileSync(tokensFile, 'utf8').split('\n').filter((l) => /^\S+ \S+ \S+$/.test(l));
      const ok = ROLES.every((role) => {
        const line = lines.find((l) => l.split(' ')[1] === role);
        const [name, , token] = line?.split(' ') ?? [];
        return config.users.some((u) => u.name === name && u.role === role && u.tokenHash === tokenHash(token ?? ''));
      });
      if (ok) return { authFile, tokensFile, created: false };
    } catch {
      // fall through and recreate both files
    }
  }
  const users = ROLES.map((role) => ({ name: `demo-${role}`, role, token: newToken() }));
  const config = { users: users.map((u) => ({ name: u.name, role: u.role, tokenHash: tokenHash(u.token) })) };
  writeFileSync(authFile, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  const text = ['# demo users: name role token (send as "Authorization: Bearer <token>")', ...users.map((u) => `${u.name} ${u.role} ${u.token}`)].join('\n') + '\n';
  writeFileSync(tokensFile, text, { mode: 0o600 });
  chmodSync(authFile, 0o600);
  chmodSync(tokensFile, 0o600);
  return { authFile, tokensFile, created: true };
}
