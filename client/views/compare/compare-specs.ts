import type { TopLevelSpec } from 'vega-lite';
import { COMPARISON, NHS, OKABE_ITO } from '../../lib/palette.ts';
import { RATE_UNIT, labelLimit, monthTooltip, monthX, numberTooltip, withUnit } from '../../lib/spec-kit.ts';

/**
 * Compare-areas charts. Data sources (named, filled at render time):
 * - `areas`: { label, area_name, level, rate, lo, hi, comparison, count, population }
 * - `benchmark`: [{ rate }] for the rule
 * - `limits`: { population, lo95, hi95, lo998, hi998 } sorted by population
 * - `trend`: { area_name, month, value, lo95, hi95 }
 * - `deciles`: { imd_decile, rate, lo, hi, count }
 */
export interface RateOptions {
  rateTitle: string;
  compact: boolean;
}

// Colour and shape share one legend (same field, title and labels), so the legend shows both.
const comparisonLegend = {
  labelExpr: "datum.label == 'higher' ? 'Higher' : datum.label == 'lower' ? 'Lower' : 'Similar'",
};

const LEGEND_TITLE = 'Versus all five regions';

const comparisonColour = {
  field: 'comparison',
  type: 'nominal' as const,
  title: LEGEND_TITLE,
  scale: { domain: [...COMPARISON.domain], range: [...COMPARISON.colours] },
  legend: comparisonLegend,
};

const comparisonShape = {
  field: 'comparison',
  type: 'nominal' as const,
  title: LEGEND_TITLE,
  scale: { domain: [...COMPARISON.domain], range: [...COMPARISON.shapes] },
  legend: comparisonLegend,
};

export function dotWhiskerSpec(o: RateOptions & { rows: number }): TopLevelSpec {
  const y = {
    field: 'label',
    type: 'nominal' as const,
    title: null,
    sort: { field: 'rate', order: 'descending' as const },
    axis: { labelLimit: labelLimit(o.compact) },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height: Math.max(120, o.rows * 24),
    data: { name: 'areas' },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2, color: NHS.secondaryText },
        encoding: {
          y,
          x: { field: 'lo', type: 'quantitative', title: withUnit(o.rateTitle, o.compact, `${RATE_UNIT}, 95% CI`), scale: { zero: false } },
          x2: { field: 'hi' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 90, stroke: NHS.text, strokeWidth: 0.5 },
        encoding: {
          y,
          x: { field: 'rate', type: 'quantitative' },
          color: comparisonColour,
          shape: comparisonShape,
          tooltip: [
            { field: 'area_name', title: 'Area' },
            { field: 'level', title: 'Level' },
            numberTooltip('rate', o.rateTitle),
            numberTooltip('lo', 'Lower 95% limit'),
            numberTooltip('hi', 'Upper 95% limit'),
            { field: 'count', type: 'quantitative', title: 'Events', format: ',' },
            { field: 'comparison', title: 'Compared with benchmark' },
          ],
        },
      },
      {
        data: { name: 'benchmark' },
        mark: { type: 'rule', strokeDash: [6, 4], color: NHS.text },
        encoding: { x: { field: 'rate', type: 'quantitative' }, tooltip: [numberTooltip('rate', 'Benchmark (all five regions)')] },
      },
    ],
  };
}

export function funnelSpec(o: RateOptions): TopLevelSpec {
  const x = { field: 'population', type: 'quantitative' as const, title: 'Population (person-years)', scale: { type: 'log' as const, nice: false }, axis: { format: '~s', tickCount: o.compact ? 3 : 6 } };
  const limit = (field: string, dash: number[]) => ({
    data: { name: 'limits' },
    mark: { type: 'line' as const, color: NHS.secondaryText, strokeDash: dash, strokeWidth: 1.5, interpolate: 'monotone' as const },
    encoding: { x, y: { field, type: 'quantitative' as const } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height: o.compact ? 260 : 340,
    layer: [
      limit('lo998', [2, 2]),
      limit('hi998', [2, 2]),
      limit('lo95', [6, 3]),
      limit('hi95', [6, 3]),
      {
        data: { name: 'benchmark' },
        mark: { type: 'rule', color: NHS.text },
        encoding: { y: { field: 'rate', type: 'quantitative' } },
      },
      {
        data: { name: 'areas' },
        mark: { type: 'point', filled: true, size: 90, stroke: NHS.text, strokeWidth: 0.5 },
        encoding: {
          x,
          y: { field: 'rate', type: 'quantitative', title: withUnit(o.rateTitle, o.compact), scale: { zero: false } },
          color: comparisonColour,
          shape: comparisonShape,
          tooltip: [
            { field: 'area_name', title: 'Area' },
            { field: 'level', title: 'Level' },
            numberTooltip('rate', o.rateTitle),
            { field: 'population', type: 'quantitative', title: 'Person-years', format: ',.0f' },
            { field: 'comparison', title: 'Compared with benchmark' },
          ],
        },
      },
    ],
  };
}

export function trendSpec(o: { width: number; compact: boolean; panels: number }): TopLevelSpec {
  const columns = o.compact ? 1 : o.width >= 1000 ? 3 : 2;
  // Panel padding 40 px, 20 px between facets, about 80 px of y axis (labels and a two-line title).
  const cellWidth = Math.max(160, Math.floor((o.width - 40 - 20 * (columns - 1)) / columns) - 80);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { name: 'trend' },
    facet: { field: 'area_name', type: 'nominal', title: null, header: { labelLimit: cellWidth, labelAnchor: 'start' } },
    columns,
    spec: {
      width: cellWidth,
      height: 110,
      layer: [
        {
          mark: { type: 'area', opacity: 0.25, color: OKABE_ITO[0] },
          encoding: {
            x: monthX('Month', true),
            y: { field: 'lo95', type: 'quantitative', title: ['Crude rate', '(per 1,000 per year)'], axis: { titleFontSize: 11, tickCount: 3, format: ',.3~f' } },
            y2: { field: 'hi95' },
          },
        },
        {
          mark: { type: 'line', color: OKABE_ITO[0], strokeWidth: 1.5 },
          encoding: {
            x: monthX('Month', true),
            y: { field: 'value', type: 'quantitative' },
            tooltip: [{ field: 'area_name', title: 'Area' }, monthTooltip(), numberTooltip('value', 'Crude rate'), numberTooltip('lo95', 'Lower 95%'), numberTooltip('hi95', 'Upper 95%')],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

export function gradientSpec(o: RateOptions): TopLevelSpec {
  const x = {
    field: 'imd_decile',
    type: 'ordinal' as const,
    title: 'IMD 2019 decile (1 = most deprived)',
    axis: { labelAngle: 0 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height: o.compact ? 240 : 300,
    data: { name: 'deciles' },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2, color: NHS.secondaryText },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: withUnit(o.rateTitle, o.compact), scale: { zero: false } }, y2: { field: 'hi' } },
      },
      { mark: { type: 'line', color: NHS.blue, strokeWidth: 2 }, encoding: { x, y: { field: 'rate', type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 80, color: NHS.blue },
        encoding: {
          x,
          y: { field: 'rate', type: 'quantitative' },
          tooltip: [
            { field: 'imd_decile', title: 'IMD decile' },
            numberTooltip('rate', o.rateTitle),
            numberTooltip('lo', 'Lower 95%'),
            numberTooltip('hi', 'Upper 95%'),
            { field: 'count', type: 'quantitative', title: 'Events', format: ',' },
          ],
        },
      },
    ],
  };
}
