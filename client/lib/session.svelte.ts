import type { Meta, Role } from './api-types.ts';

const KEY = 'lhcre-planner.token';

/** Session storage, not local: the token goes when the tab closes, and never into the URL. */
function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export class Session {
  token = $state<string | null>(storage()?.getItem(KEY) ?? null);
  meta = $state<Meta | null>(null);

  get role(): Role | null {
    return this.meta?.role ?? null;
  }

  signIn(token: string, meta: Meta): void {
    storage()?.setItem(KEY, token);
    this.token = token;
    this.meta = meta;
  }

  signOut(): void {
    storage()?.removeItem(KEY);
    this.token = null;
    this.meta = null;
  }
}
