import type { TopLevelSpec } from 'vega-lite';
import { NHS, OKABE_ITO, SEQUENTIAL } from '../../lib/palette.ts';
import { RATE_UNIT, monthTooltip, monthX, numberTooltip, withUnit } from '../../lib/spec-kit.ts';

/**
 * Overview charts. Named data sources:
 * - `shapes`: GeoJSON features (properties.code, properties.name), wound for d3-geo
 * - `rates`: { code, name, rate, lo, hi, comparison }
 * - `outline`: region features drawn over an STP map
 * - `trend`: { service_name, month, value }
 */
export function mapSpec(o: { rateTitle: string; compact: boolean; withOutline: boolean }): TopLevelSpec {
  const height = o.compact ? 380 : 520;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height,
    // Fitted to the features: the five exemplars fill the frame, not the whole of England.
    projection: { type: 'mercator' },
    layer: [
      {
        // Every area in pale grey first, so an area without a rate reads as "no data", not as low.
        data: { name: 'shapes' },
        mark: { type: 'geoshape', fill: NHS.paleGrey, stroke: NHS.white, strokeWidth: 1 },
        encoding: { tooltip: [{ field: 'properties.name', title: 'Area' }] },
      },
      {
        data: { name: 'shapes' },
        transform: [
          { calculate: 'datum.properties.code', as: 'code' },
          { lookup: 'code', from: { data: { name: 'rates' }, key: 'code', fields: ['name', 'rate', 'lo', 'hi'] } },
          { filter: 'isValid(datum.rate)' },
        ],
        mark: { type: 'geoshape', stroke: NHS.white, strokeWidth: 1 },
        encoding: {
          color: {
            field: 'rate',
            type: 'quantitative',
            title: withUnit(o.rateTitle, o.compact),
            scale: { range: [...SEQUENTIAL], zero: false },
            legend: { orient: 'bottom', direction: 'horizontal', format: ',.1f', gradientLength: o.compact ? 220 : 320, titleLimit: o.compact ? 300 : 500 },
          },
          tooltip: [{ field: 'name', title: 'Area' }, numberTooltip('rate', o.rateTitle), numberTooltip('lo', 'Lower 95%'), numberTooltip('hi', 'Upper 95%')],
        },
      },
      ...(o.withOutline
        ? [
            {
              data: { name: 'outline' },
              // Boundaries only, no data: hidden from assistive technology (aria: false), which
              // would otherwise meet unnamed graphics (axe svg-img-alt).
              mark: { type: 'geoshape' as const, filled: false, stroke: NHS.text, strokeWidth: 1.5, aria: false },
            },
          ]
        : []),
    ],
  };
}

export function serviceTrendSpec(o: { width: number; compact: boolean }): TopLevelSpec {
  const columns = o.width >= 900 ? 3 : o.width >= 560 ? 2 : 1;
  // Panel padding 40 px, 20 px between facets, about 70 px of y axis.
  const cellWidth = Math.max(160, Math.floor((o.width - 40 - 20 * (columns - 1)) / columns) - 70);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { name: 'trend' },
    facet: { field: 'service_name', type: 'nominal', title: null, header: { labelLimit: cellWidth, labelAnchor: 'start' } },
    columns,
    spec: {
      width: cellWidth,
      height: 90,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            x: monthX('Month', true),
            y: { field: 'value', type: 'quantitative', title: 'Per 1,000 a year', axis: { tickCount: 3, titleFontSize: 11, format: ',.3~f' }, scale: { zero: false } },
            color: {
              field: 'region_name',
              type: 'nominal',
              title: 'Region',
              scale: { range: [...OKABE_ITO] },
              // Legend columns by width: a wide legend would make the SVG wider than its column.
              legend: { columns: o.width >= 700 ? 3 : o.width >= 420 ? 2 : 1, orient: 'bottom', labelLimit: 160 },
            },
            tooltip: [{ field: 'service_name', title: 'Service' }, { field: 'region_name', title: 'Region' }, monthTooltip(), numberTooltip('value', `Crude rate (${RATE_UNIT})`)],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
