import type { Role } from './api-types.ts';

export const VIEWS = ['overview', 'demand', 'compare', 'research', 'data'] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewName, string> = {
  overview: 'Overview',
  demand: 'Demand and forecast',
  compare: 'Compare areas',
  research: 'Research export',
  data: 'Data and pipeline',
};

/** Which views each role is offered; the server enforces the same split on every endpoint. */
const ROLE_VIEWS: Record<Role, readonly ViewName[]> = {
  planner: ['overview', 'demand', 'compare', 'data'],
  commissioner: ['overview', 'demand', 'compare', 'data'],
  researcher: ['research', 'data'],
  admin: ['overview', 'demand', 'compare', 'research', 'data'],
};

export function viewsFor(role: Role): readonly ViewName[] {
  return ROLE_VIEWS[role];
}

export interface Route {
  view: ViewName;
  params: URLSearchParams;
}

/** `#/demand?level=stp&area=...` -> { view: 'demand', params }. Unknown views give null. */
export function parseHash(hash: string): Route | null {
  const m = /^#?\/?([a-z]*)(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  const name = m[1] ?? '';
  if (!(VIEWS as readonly string[]).includes(name)) return null;
  return { view: name as ViewName, params: new URLSearchParams(m[2] ?? '') };
}

export function formatHash(view: ViewName, params?: URLSearchParams): string {
  const q = params?.toString() ?? '';
  return `#/${view}${q ? `?${q}` : ''}`;
}

/** The route to show: the requested one if the role may use it, else the role's first view. */
export function resolveRoute(hash: string, role: Role): Route {
  const wanted = parseHash(hash);
  const allowed = viewsFor(role);
  if (wanted && allowed.includes(wanted.view)) return wanted;
  return { view: allowed[0]!, params: new URLSearchParams() };
}
