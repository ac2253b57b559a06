import type { Config } from 'vega-lite';
import { CHART_CONFIG } from './vega-config.ts';
import { NHS, OKABE_ITO, SEQUENTIAL } from './palette.ts';

/**
 * The dark theme's chart colours (prefers-color-scheme: dark). Charts are drawn on the dark panel
 * colour, so every colour a spec uses for data is swapped for one that keeps at least 3:1 against
 * it (WCAG 2.2 SC 1.4.11), keeping its hue: the Okabe-Ito blue becomes its sky blue, NHS blue a
 * lighter blue, the near-black "observed" line near-white. Orange (3.8:1), green (4.3:1) and
 * purple (4.8:1) already pass and stay. White strokes between map areas become the background, the
 * pale grey behind the map a dim grey (background, not data). Specs stay theme-free: the swap is
 * done on the finished spec at render time (darkSpec), and palette.test.ts checks every colour the
 * builders use.
 */
export const DARK_SURFACE = '#1d2a32';

const SEQUENTIAL_DARK = ['#3f86c6', '#5f9bd1', '#7eb0dd', '#9ec4e8', '#bdd9f4', '#ddeeff'] as const;

export const DARK_COLOURS: Record<string, string> = {
  [OKABE_ITO[0]]: '#56b4e9',
  [OKABE_ITO[1]]: '#ef7d2a',
  [OKABE_ITO[4]]: '#f0f4f5',
  [NHS.blue]: '#4ba3e3',
  [NHS.brightBlue]: '#5f9bd1',
  [NHS.darkBlue]: '#9ec4e8',
  [NHS.text]: '#f0f4f5',
  [NHS.secondaryText]: '#b3bec5',
  [NHS.midGrey]: '#b3bec5',
  [NHS.white]: DARK_SURFACE,
  [NHS.paleGrey]: '#3a4a54',
  [NHS.border]: '#3a4a54',
  // Light ramp to dark ramp, step for step: more is brighter on a dark ground.
  ...Object.fromEntries(SEQUENTIAL.map((c, i) => [c, SEQUENTIAL_DARK[i]!])),
};

/** Colours that are background, not data, in the dark theme (they need no contrast). */
export const DARK_BACKGROUND_COLOURS: ReadonlySet<string> = new Set([DARK_SURFACE, '#3a4a54']);

export function darkColour(c: string): string {
  return DARK_COLOURS[c.toLowerCase()] ?? c;
}

/** The spec with every colour string swapped for its dark counterpart (a deep copy; data untouched). */
export function darkSpec<T>(spec: T): T {
  const walk = (v: unknown, key: string): unknown => {
    if (key === 'datasets' || key === 'data' || key === 'values') return v;
    if (typeof v === 'string') return /^#[0-9a-f]{6}$/i.test(v) ? darkColour(v) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(spec, '') as T;
}

const LIGHT_TEXT = '#f0f4f5';
const MUTED = '#b3bec5';

export const DARK_CHART_CONFIG: Config = {
  ...CHART_CONFIG,
  background: DARK_SURFACE,
  axis: { ...CHART_CONFIG.axis, labelColor: LIGHT_TEXT, titleColor: LIGHT_TEXT, gridColor: '#3a4a54', domainColor: MUTED, tickColor: MUTED },
  legend: { ...CHART_CONFIG.legend, labelColor: LIGHT_TEXT, titleColor: LIGHT_TEXT },
  header: { ...CHART_CONFIG.header, labelColor: LIGHT_TEXT, titleColor: LIGHT_TEXT },
  title: { ...CHART_CONFIG.title, color: LIGHT_TEXT },
  text: { color: LIGHT_TEXT },
  range: { category: OKABE_ITO.map(darkColour) },
};
