import type { TopLevelSpec } from 'vega-lite';
import { NHS, OKABE_ITO } from '../../lib/palette.ts';
import { monthTooltip, monthX, numberTooltip, withUnit } from '../../lib/spec-kit.ts';

/**
 * Demand-and-forecast charts. Named data sources:
 * - `lines`: { month, value, series } with series Observed | Fitted | Forecast | Planning scenario
 * - `intervals`: { month, lo80, hi80, lo95, hi95 }
 * - `covid`: [{ from, to }] months to shade (to = the month after the last one shaded)
 * - `beds`: { month, series (Observed | Projected), bedDays, beds }
 * - `rates`: { category, rate, lo, hi, count } for a breakdown
 */
const SERIES = ['Observed', 'Fitted', 'Forecast', 'Planning scenario'];
// Fitted in Okabe-Ito green (3.4:1 on white; the sky blue it had was 2.3:1), dashed as well.
const SERIES_COLOURS = [NHS.text, OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[1]];
const SERIES_DASH = [[1, 0], [4, 3], [1, 0], [8, 3]];
const seriesLegend = (compact: boolean) => ({ orient: 'bottom' as const, direction: 'horizontal' as const, symbolType: 'stroke', symbolStrokeWidth: 3, columns: compact ? 2 : 4 });

export function forecastSpec(o: { valueTitle: string; compact: boolean }): TopLevelSpec {
  const x = monthX('Month', o.compact);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height: o.compact ? 260 : 360,
    layer: [
      {
        data: { name: 'covid' },
        mark: { type: 'rect', color: NHS.warmYellow, opacity: 0.25 },
        encoding: {
          x: { field: 'from', type: 'temporal', timeUnit: 'utcyearmonth' },
          x2: { field: 'to', timeUnit: 'utcyearmonth' },
          tooltip: [{ field: 'label', title: 'Shaded' }],
        },
      },
      {
        data: { name: 'covid' },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: NHS.text, fontSize: 11 },
        encoding: { x: { field: 'from', type: 'temporal', timeUnit: 'utcyearmonth' }, y: { value: 0 }, text: { value: 'COVID-19' } },
      },
      {
        data: { name: 'intervals' },
        mark: { type: 'area', color: OKABE_ITO[0], opacity: 0.18 },
        encoding: { x, y: { field: 'lo95', type: 'quantitative', title: o.valueTitle }, y2: { field: 'hi95' } },
      },
      {
        data: { name: 'intervals' },
        mark: { type: 'area', color: OKABE_ITO[0], opacity: 0.3 },
        encoding: { x, y: { field: 'lo80', type: 'quantitative' }, y2: { field: 'hi80' } },
      },
      {
        // An all-but-invisible rule per forecast month across the 95% band: hovering the ribbons
        // shows that month's intervals.
        data: { name: 'intervals' },
        mark: { type: 'rule', strokeWidth: 10, opacity: 0.01, color: OKABE_ITO[0] },
        encoding: {
          x,
          y: { field: 'lo95', type: 'quantitative' },
          y2: { field: 'hi95' },
          tooltip: [
            monthTooltip(),
            numberTooltip('lo80', '80% interval, low'), numberTooltip('hi80', '80% interval, high'),
            numberTooltip('lo95', '95% interval, low'), numberTooltip('hi95', '95% interval, high'),
          ],
        },
      },
      {
        data: { name: 'lines' },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: o.valueTitle, axis: { format: '~s' } },
          // Colour and dash share one legend (same field, title and legend), so it shows both.
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: SERIES, range: SERIES_COLOURS }, legend: seriesLegend(o.compact) },
          strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: SERIES, range: SERIES_DASH }, legend: seriesLegend(o.compact) },
        },
      },
      {
        // Invisible points carry the tooltip for every month of every series.
        data: { name: 'lines' },
        mark: { type: 'point', opacity: 0, size: 80 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative' },
          tooltip: [{ field: 'series', title: 'Series' }, monthTooltip(), numberTooltip('value', o.valueTitle, ',.0f')],
        },
      },
    ],
  };
}

export function bedsSpec(o: { occupancy: number; compact: boolean }): TopLevelSpec {
  const x = monthX('Month', o.compact);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height: o.compact ? 200 : 240,
    data: { name: 'beds' },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.9 },
        encoding: {
          x,
          y: { field: 'beds', type: 'quantitative', title: `Beds needed at ${o.occupancy}% occupancy` },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['Observed', 'Projected'], range: [NHS.secondaryText, OKABE_ITO[1]] }, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'series', title: 'Series' }, monthTooltip(), numberTooltip('bedDays', 'Bed days', ',.0f'), numberTooltip('beds', `Beds at ${o.occupancy}% occupancy`, ',.1f')],
        },
      },
    ],
  };
}

export function breakdownSpec(o: { categoryTitle: string; compact: boolean; ordinalSort?: string[] }): TopLevelSpec {
  const x = {
    field: 'category',
    type: 'ordinal' as const,
    title: o.categoryTitle,
    sort: o.ordinalSort ?? null,
    axis: { labelAngle: o.compact ? -90 : -45, labelOverlap: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    autosize: { type: 'fit-x', contains: 'padding' },
    height: o.compact ? 220 : 260,
    data: { name: 'rates' },
    layer: [
      {
        mark: { type: 'bar', color: NHS.blue },
        encoding: {
          x,
          y: { field: 'rate', type: 'quantitative', title: withUnit('Crude rate', o.compact) },
          tooltip: [
            { field: 'category', title: o.categoryTitle },
            numberTooltip('rate', 'Crude rate per 1,000 per year'),
            numberTooltip('lo', 'Lower 95%'),
            numberTooltip('hi', 'Upper 95%'),
            { field: 'count', type: 'quantitative', title: 'Events', format: ',' },
          ],
        },
      },
      {
        mark: { type: 'rule', color: NHS.text, strokeWidth: 1.5 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
    ],
  };
}
