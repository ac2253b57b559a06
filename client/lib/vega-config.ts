import type { Config } from 'vega-lite';
import { NHS, OKABE_ITO } from './palette.ts';

const FONT = 'Frutiger W01, Arial, Helvetica, sans-serif';

/** Shared look for every chart: NHS.UK type and greys, dark enough for AA contrast. */
export const CHART_CONFIG: Config = {
  font: FONT,
  background: NHS.white,
  view: { stroke: null },
  axis: {
    labelColor: NHS.text,
    titleColor: NHS.text,
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 600,
    gridColor: NHS.paleGrey,
    domainColor: NHS.secondaryText,
    tickColor: NHS.secondaryText,
    labelLimit: 220,
  },
  legend: { labelColor: NHS.text, titleColor: NHS.text, labelFontSize: 12, titleFontSize: 13, orient: 'bottom', direction: 'horizontal', labelLimit: 260, titleLimit: 400 },
  header: { labelColor: NHS.text, titleColor: NHS.text, labelFontSize: 12, labelFontWeight: 600 },
  title: { color: NHS.text, font: FONT, fontSize: 15, anchor: 'start' },
  range: { category: [...OKABE_ITO] },
  line: { strokeWidth: 2 },
  point: { filled: true, size: 50 },
  locale: {
    number: { decimal: '.', thousands: ',', grouping: [3], currency: ['£', ''] },
  },
};
