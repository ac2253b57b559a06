import { describe, expect, it } from 'vitest';
import { formatHash, parseHash, resolveRoute, viewsFor } from './route.ts';

describe('views per role', () => {
  it('offers researchers only the research export and the data view', () => {
    expect(viewsFor('researcher')).toEqual(['research', 'data']);
  });
  it('offers planners and commissioners everything but research export; admin all five', () => {
    expect(viewsFor('planner')).toEqual(['overview', 'demand', 'compare', 'data']);
    expect(viewsFor('commissioner')).toEqual(['overview', 'demand', 'compare', 'data']);
    expect(viewsFor('admin')).toEqual(['overview', 'demand', 'compare', 'research', 'data']);
  });
});

describe('hash routes', () => {
  it('parses a view and its parameters', () => {
    const r = parseHash('#/demand?level=stp&area=E54000007&scheme=a&scheme=b');
    expect(r?.view).toBe('demand');
    expect(r?.params.get('area')).toBe('E54000007');
    expect(r?.params.getAll('scheme')).toEqual(['a', 'b']);
  });
  it('rejects unknown views', () => {
    expect(parseHash('#/admin-secrets')).toBeNull();
  });
  it('round-trips through formatHash', () => {
    const p = new URLSearchParams('service=ae_attendance&rate=dsr');
    const r = parseHash(formatHash('compare', p));
    expect(r?.view).toBe('compare');
    expect(r?.params.toString()).toBe(p.toString());
  });
  it("sends a role to its first view when the link names one it may not use", () => {
    expect(resolveRoute('#/demand?area=x', 'researcher').view).toBe('research');
    expect(resolveRoute('#/research', 'planner').view).toBe('overview');
    expect(resolveRoute('', 'admin').view).toBe('overview');
  });
});
