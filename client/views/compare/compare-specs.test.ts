import { describe, expect, it } from 'vitest';
import { allMarks, compileSpec, hasInlineData, namedSources } from '../../lib/vl-compile-helper.ts';
import { dotWhiskerSpec, funnelSpec, gradientSpec, trendSpec } from './compare-specs.ts';
import { mapSpec, serviceTrendSpec } from '../overview/overview-specs.ts';

describe('compare spec builders', () => {
  it('dot-and-whisker: CI rules, points shaped and coloured by comparison, benchmark rule', () => {
    const spec = dotWhiskerSpec({ rateTitle: 'Directly standardised rate', compact: false, rows: 19 });
    expect(hasInlineData(spec)).toBe(false);
    const { vega, warnings } = compileSpec(spec);
    expect(warnings).toEqual([]);
    expect(namedSources(vega).sort()).toEqual(['areas', 'benchmark']);
    const marks = allMarks(vega);
    expect(marks.filter((m) => m.type === 'rule')).toHaveLength(2);
    const symbol = marks.find((m) => m.type === 'symbol')!;
    expect(symbol.encode?.update?.shape).toBeDefined();
    expect(symbol.encode?.update?.fill).toBeDefined();
    // Height grows with the number of areas so labels never overlap.
    expect((spec as { height?: number }).height).toBe(19 * 24);
    // The one legend merges colour and shape.
    expect(vega.legends).toHaveLength(1);
  });

  it('funnel: four control-limit lines on a log population axis', () => {
    const { vega, warnings } = compileSpec(funnelSpec({ rateTitle: 'Crude rate', compact: true }));
    expect(warnings).toEqual([]);
    expect(namedSources(vega).sort()).toEqual(['areas', 'benchmark', 'limits']);
    expect(allMarks(vega).filter((m) => m.type === 'line')).toHaveLength(4);
    expect((vega.scales ?? []).find((s) => s.name === 'x')?.type).toBe('log');
  });

  it('deprivation gradient and trends compile with their sources', () => {
    const g = compileSpec(gradientSpec({ rateTitle: 'Crude rate', compact: false }));
    expect(g.warnings).toEqual([]);
    expect(namedSources(g.vega)).toEqual(['deciles']);
    const t = compileSpec(trendSpec({ width: 1200, compact: false, panels: 5 }));
    expect(t.warnings).toEqual([]);
    expect(namedSources(t.vega)).toEqual(['trend']);
    expect(allMarks(t.vega).some((m) => m.type === 'area')).toBe(true);
  });

  it('trend small multiples use one column on a phone and fit its width', () => {
    const spec = trendSpec({ width: 358, compact: true, panels: 14 }) as { columns: number; spec: { width: number } };
    expect(spec.columns).toBe(1);
    expect(spec.spec.width).toBeLessThanOrEqual(358);
  });
});

describe('overview spec builders', () => {
  it('map: geoshapes with a fitted projection, rates joined by area code', () => {
    const spec = mapSpec({ rateTitle: 'Crude rate', compact: false, withOutline: true });
    const { vega, warnings } = compileSpec(spec);
    expect(warnings).toEqual([]);
    expect(namedSources(vega).sort()).toEqual(['outline', 'rates', 'shapes']);
    expect(allMarks(vega).filter((m) => m.type === 'shape')).toHaveLength(3);
    const projection = vega.projections?.[0];
    expect(projection?.type).toBe('mercator');
    // Fitted to the features drawn (Vega-Lite adds `fit` over the shape data).
    expect(projection?.fit).toBeDefined();
    expect(JSON.stringify(vega.data)).toContain('"type":"lookup"');
  });

  it('service trends: one panel per service, coloured by region', () => {
    const { vega, warnings } = compileSpec(serviceTrendSpec({ width: 600, compact: false }));
    expect(warnings).toEqual([]);
    expect(namedSources(vega)).toEqual(['trend']);
    expect(JSON.stringify(vega.scales)).toContain('region_name');
  });
});
