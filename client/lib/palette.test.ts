import { describe, expect, it } from 'vitest';
import { COMPARISON, NHS, OKABE_ITO } from './palette.ts';
import { forecastSpec } from '../views/demand/demand-specs.ts';

/** WCAG 2.2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('colour contrast against the white chart background (WCAG 2.2 SC 1.4.11: 3:1 for graphics)', () => {
  it('the worked values: black on white is 21:1, NHS blue 6.4:1, Okabe-Ito sky blue fails', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrast(NHS.blue, NHS.white)).toBeCloseTo(6.38, 1);
    expect(contrast('#56b4e9', '#ffffff')).toBeLessThan(3);
  });

  it('the first five categorical colours (the most series any chart draws) reach 3:1', () => {
    for (const c of OKABE_ITO.slice(0, 5)) expect(contrast(c, NHS.white), c).toBeGreaterThanOrEqual(3);
  });

  it('the Higher / Similar / Lower colours reach 3:1', () => {
    for (const c of COMPARISON.colours) expect(contrast(c, NHS.white), c).toBeGreaterThanOrEqual(3);
  });

  it("every line of the forecast chart (observed, fitted, forecast, scenario) reaches 3:1", () => {
    const spec = forecastSpec({ valueTitle: 'Admissions', compact: false }) as unknown as { layer: { encoding?: { color?: { scale?: { range?: string[] } } } }[] };
    const ranges = spec.layer.flatMap((l) => l.encoding?.color?.scale?.range ?? []);
    expect(ranges).toHaveLength(4);
    for (const c of ranges) expect(contrast(c, NHS.white), c).toBeGreaterThanOrEqual(3);
  });
});
