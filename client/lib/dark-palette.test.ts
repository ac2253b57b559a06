import { describe, expect, it } from 'vitest';
import { DARK_BACKGROUND_COLOURS, DARK_CHART_CONFIG, DARK_SURFACE, darkSpec } from './dark-palette.ts';
import { COMPARISON, NHS, OKABE_ITO, SEQUENTIAL } from './palette.ts';
import { bedsSpec, breakdownSpec, forecastSpec } from '../views/demand/demand-specs.ts';
import { dotWhiskerSpec, funnelSpec, gradientSpec, trendSpec } from '../views/compare/compare-specs.ts';
import { mapSpec, serviceTrendSpec } from '../views/overview/overview-specs.ts';

/** WCAG 2.2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

function coloursIn(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string' && /^#[0-9a-f]{6}$/i.test(v)) out.add(v.toLowerCase());
  else if (Array.isArray(v)) v.forEach((x) => coloursIn(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => coloursIn(x, out));
  return out;
}

const SPECS = {
  forecast: forecastSpec({ valueTitle: 'Admissions', compact: false }),
  beds: bedsSpec({ occupancy: 92, compact: false }),
  breakdown: breakdownSpec({ categoryTitle: 'Age band', compact: false }),
  dotWhisker: dotWhiskerSpec({ rateTitle: 'DSR', compact: false, rows: 19 }),
  funnel: funnelSpec({ rateTitle: 'DSR', compact: false }),
  gradient: gradientSpec({ rateTitle: 'DSR', compact: false }),
  trend: trendSpec({ width: 900, compact: false, panels: 6 }),
  map: mapSpec({ rateTitle: 'Rate', compact: false, withOutline: true }),
  serviceTrend: serviceTrendSpec({ width: 900, compact: false }),
};

// The COVID shading is a background band drawn at 25% opacity, not data.
const SHADING = new Set([NHS.warmYellow]);

describe('dark theme chart colours (WCAG 2.2 SC 1.4.11: 3:1 against the dark chart background)', () => {
  it('the light colours that fail on the dark panel: Okabe-Ito blue 2.8, NHS blue 2.3, near-black 1.0', () => {
    expect(contrast(OKABE_ITO[0], DARK_SURFACE)).toBeLessThan(3);
    expect(contrast(NHS.blue, DARK_SURFACE)).toBeLessThan(3);
    expect(contrast(NHS.text, DARK_SURFACE)).toBeLessThan(1.1);
  });

  for (const [name, spec] of Object.entries(SPECS)) {
    it(`${name}: every data colour reaches 3:1 once swapped`, () => {
      const colours = [...coloursIn(darkSpec(spec))].filter((c) => !DARK_BACKGROUND_COLOURS.has(c) && !SHADING.has(c as typeof NHS.warmYellow));
      expect(colours.length).toBeGreaterThan(0);
      for (const c of colours) expect(contrast(c, DARK_SURFACE), `${name} ${c}`).toBeGreaterThanOrEqual(3);
    });
  }

  it('the default category range, the comparison colours, the map ramp and the axis text all reach 3:1', () => {
    const range = (DARK_CHART_CONFIG.range as { category: string[] }).category;
    for (const c of range.slice(0, 5)) expect(contrast(c, DARK_SURFACE), c).toBeGreaterThanOrEqual(3);
    for (const c of coloursIn(darkSpec(COMPARISON.colours))) expect(contrast(c, DARK_SURFACE), c).toBeGreaterThanOrEqual(3);
    const ramp = darkSpec([...SEQUENTIAL]);
    for (const c of ramp) expect(contrast(c, DARK_SURFACE), c).toBeGreaterThanOrEqual(3);
    // Still ordered: each step lighter than the one before.
    for (let i = 1; i < ramp.length; i++) expect(luminance(ramp[i]!)).toBeGreaterThan(luminance(ramp[i - 1]!));
    const axis = DARK_CHART_CONFIG.axis as { labelColor: string; domainColor: string };
    expect(contrast(axis.labelColor, DARK_SURFACE)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(axis.domainColor, DARK_SURFACE)).toBeGreaterThanOrEqual(3);
  });

  it('leaves the data alone', () => {
    const spec = { datasets: { x: [{ colour: '#000000' }] }, mark: { color: '#000000' } };
    expect(darkSpec(spec)).toEqual({ datasets: { x: [{ colour: '#000000' }] }, mark: { color: '#f0f4f5' } });
  });
});
