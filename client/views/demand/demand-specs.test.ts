import { describe, expect, it } from 'vitest';
import { allMarks, compileSpec, hasInlineData, namedSources } from '../../lib/vl-compile-helper.ts';
import { bedsSpec, breakdownSpec, forecastSpec } from './demand-specs.ts';

describe('demand spec builders', () => {
  it('forecast: named sources, ribbons, lines, COVID shading, no data inside', () => {
    const spec = forecastSpec({ valueTitle: 'Emergency admissions per month', compact: false });
    expect(hasInlineData(spec)).toBe(false);
    const { vega, warnings } = compileSpec(spec);
    expect(warnings).toEqual([]);
    expect(namedSources(vega).sort()).toEqual(['covid', 'intervals', 'lines']);
    const types = allMarks(vega).map((m) => m.type);
    expect(types.filter((t) => t === 'area')).toHaveLength(2);
    expect(types).toContain('line');
    expect(types).toContain('rect');
    const line = allMarks(vega).find((m) => m.type === 'line')!;
    expect(line.encode?.update?.strokeDash).toBeDefined();
    const axisTitles = (vega.axes ?? []).map((a) => a.title);
    expect(axisTitles).toContain('Emergency admissions per month');
    expect(axisTitles).toContain('Month');
  });

  it('forecast x axis is in UTC months, so no browser shows the previous month', () => {
    const { vega } = compileSpec(forecastSpec({ valueTitle: 'x', compact: true }));
    const x = (vega.scales ?? []).find((s) => s.name === 'x');
    expect(x?.type).toBe('utc');
  });

  it('beds: bars coloured by observed or projected, axis names the occupancy', () => {
    const { vega, warnings } = compileSpec(bedsSpec({ occupancy: 85, compact: false }));
    expect(warnings).toEqual([]);
    expect(namedSources(vega)).toEqual(['beds']);
    expect(allMarks(vega).some((m) => m.type === 'rect')).toBe(true);
    expect((vega.axes ?? []).map((a) => a.title)).toContain('Beds needed at 85% occupancy');
    expect(JSON.stringify(vega.scales)).toContain('Projected');
  });

  it('breakdown: bars with CI rules, category order kept', () => {
    const { vega } = compileSpec(breakdownSpec({ categoryTitle: 'Age band (years)', compact: true, ordinalSort: ['0-4', '5-9', '90+'] }));
    expect(namedSources(vega)).toEqual(['rates']);
    const types = allMarks(vega).map((m) => m.type);
    expect(types).toContain('rect');
    expect(types).toContain('rule');
    // The explicit order becomes a sort index over the categories, oldest band last.
    expect(JSON.stringify(vega.data)).toContain('90+');
  });
});
