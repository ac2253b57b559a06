import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { authConfigSchema, sha256Hex, type AuthConfig } from './auth-store.ts';
import type { Role } from './roles.ts';

/** A new bearer token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return `sha256:${sha256Hex(token)}`;
}

async function readConfig(file: string): Promise<AuthConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { users: [] };
    throw e;
  }
  const parsed = authConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a valid auth config: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * Adds (or replaces) a user with a fresh token and returns the token; only its hash is stored.
 * Written to a temporary file then renamed, mode 600.
 */
export async function addUser(file: string, name: string, role: Role): Promise<string> {
  const config = await readConfig(file);
  const token = newToken();
  const users = config.users.filter((u) => u.name !== name);
  users.push({ name, role, tokenHash: tokenHash(token) });
  const next = authConfigSchema.parse({ users });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return token;
}
