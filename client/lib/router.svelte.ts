import { formatHash, resolveRoute, type Route, type ViewName } from './route.ts';
import type { Role } from './api-types.ts';

/**
 * The URL is the single source of a view's state: controls write it here, views derive their
 * state from it, so any link reproduces the view and back/forward just work.
 */
export class Router {
  hash = $state(typeof location === 'undefined' ? '' : location.hash);

  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.hash = location.hash));
  }

  route(role: Role): Route {
    return resolveRoute(this.hash, role);
  }

  /** Replaces the current history entry (state tweaks); `push` for moving between views. */
  go(view: ViewName, params?: URLSearchParams, mode: 'push' | 'replace' = 'replace'): void {
    const next = formatHash(view, params);
    if (next === this.hash) return;
    const url = `${location.pathname}${location.search}${next}`;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    this.hash = next;
  }
}
