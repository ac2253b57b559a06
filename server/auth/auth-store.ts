import { createHash, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { roleSchema, type AuthUser } from './roles.ts';

/**
 * Token hashes: `sha256:<hex>` (tokens are 32 random bytes, so a fast hash is safe) or
 * `scrypt:<salt hex>:<hash hex>` for people who want a slow hash anyway.
 */
const tokenHashSchema = z.string().regex(/^(sha256:[0-9a-f]{64}|scrypt:[0-9a-f]{16,64}:[0-9a-f]{64})$/, 'tokenHash must be sha256:<64 hex> or scrypt:<salt hex>:<64 hex>');

export const authConfigSchema = z.object({
  users: z.array(
    z.object({
      name: z.string().min(1).max(100).regex(/^[A-Za-z0-9._@-]+$/, 'user names are letters, digits and . _ @ -'),
      role: roleSchema,
      tokenHash: tokenHashSchema,
    }).strict(),
  ),
}).strict();
export type AuthConfig = z.infer<typeof authConfigSchema>;

export interface AuthStore {
  /** The user a bearer token belongs to, or null. Constant-time comparison against every entry. */
  authenticate(token: string): AuthUser | null;
  readonly userCount: number;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function matches(tokenHash: string, token: string, tokenSha: Buffer): boolean {
  const parts = tokenHash.split(':');
  if (parts[0] === 'sha256') return timingSafeEqual(Buffer.from(parts[1]!, 'hex'), tokenSha);
  const expected = Buffer.from(parts[2]!, 'hex');
  const actual = scryptSync(token, Buffer.from(parts[1]!, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}

export function createAuthStore(config: AuthConfig): AuthStore {
  const users = config.users;
  // scrypt is deliberately slow; remember tokens already verified (in memory only, by their sha256).
  const verified = new Map<string, AuthUser>();
  return {
    userCount: users.length,
    authenticate(token) {
      if (token.length < 16 || token.length > 200) return null;
      const sha = sha256Hex(token);
      const cached = verified.get(sha);
      if (cached) return cached;
      const tokenSha = Buffer.from(sha, 'hex');
      let found: AuthUser | null = null;
      for (const u of users) {
        // No early exit: every entry is checked so timing does not reveal the position.
        if (matches(u.tokenHash, token, tokenSha) && !found) found = { name: u.name, role: u.role };
      }
      if (found && verified.size < 10_000) verified.set(sha, found);
      return found;
    },
  };
}

export async function loadAuthStore(file: string): Promise<AuthStore> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read auth config ${file}: ${(e as Error).message}`);
  }
  const parsed = authConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`auth config ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return createAuthStore(parsed.data);
}
