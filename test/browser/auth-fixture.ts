// The server's own auth store, re-exported so tests build users in memory without a config file.
export { createAuthStore } from '../../server/auth/auth-store.ts';
export { tokenHash } from '../../server/auth/tokens.ts';
