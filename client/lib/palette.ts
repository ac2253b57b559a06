/**
 * Colours. NHS identity colours for the page and single-series marks; Okabe-Ito (Okabe and Ito,
 * 2008) for categorical series, because it stays distinguishable for the common colour-vision
 * deficiencies. Order puts the darker hues first so the first series reach 3:1 against white
 * (WCAG 2.2 SC 1.4.11); every chart also has a table view so no value relies on colour alone.
 */
export const NHS = {
  blue: '#005eb8',
  darkBlue: '#003087',
  brightBlue: '#0072ce',
  lightBlue: '#41b6e6',
  text: '#212b32',
  secondaryText: '#4c6272',
  midGrey: '#768692',
  paleGrey: '#e8edee',
  border: '#d8dde0',
  white: '#ffffff',
  red: '#d5281b',
  warmYellow: '#ffb81c',
  green: '#007f3b',
} as const;

// Contrast on white: 5.2, 3.9, 3.4, 3.1, 21 (the first five: every chart here has at most five
// series), then 2.3, 2.3, 1.3 (orange, sky blue and yellow fall below 3:1: only for a sixth series on).
export const OKABE_ITO = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#e69f00', '#56b4e9', '#f0e442'] as const;

/** Higher / Similar / Lower than the benchmark: colour plus shape, never colour alone. */
export const COMPARISON = {
  domain: ['higher', 'similar', 'lower'],
  colours: ['#d55e00', '#4c6272', '#0072b2'],
  shapes: ['triangle-up', 'circle', 'triangle-down'],
  labels: { higher: 'Higher', similar: 'Similar', lower: 'Lower' } as Record<string, string>,
} as const;

/** Sequential ramp for the map (light to NHS dark blue). */
export const SEQUENTIAL = ['#e8f1fa', '#a6c8ea', '#5b9bd5', '#0072ce', '#005eb8', '#003087'] as const;
