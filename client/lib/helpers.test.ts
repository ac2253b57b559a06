import { describe, expect, it } from 'vitest';
import { rewindForD3, signedArea2, type GeoCollection } from './geo.ts';
import { parseCsv } from './csv-parse.ts';
import { toCsv } from './csv-write.ts';
import { periodOptions, previousYear, researchPeriodOptions } from './periods.ts';
import { addMonths, fmtMonth, fmtPercent } from './format.ts';
import { apiErrorFrom } from './api-error.ts';

describe('GeoJSON winding for d3-geo', () => {
  const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]; // anticlockwise (RFC 7946 exterior)
  const hole = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]; // clockwise
  it('makes exterior rings clockwise and holes anticlockwise', () => {
    expect(signedArea2(square)).toBeGreaterThan(0);
    const fc: GeoCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'x' }, geometry: { type: 'Polygon', coordinates: [square, hole] } }] };
    const [f] = rewindForD3(fc);
    const rings = f!.geometry.coordinates as number[][][];
    expect(signedArea2(rings[0]!)).toBe(-2);
    expect(signedArea2(rings[1]!)).toBeCloseTo(0.72, 10);
    expect(f!.properties).toEqual({ code: 'x' });
  });
  it('rewinds each polygon of a MultiPolygon', () => {
    const fc: GeoCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[square], [square]] } }] };
    const polys = rewindForD3(fc)[0]!.geometry.coordinates as number[][][][];
    expect(polys.map((p) => signedArea2(p[0]!))).toEqual([-2, -2]);
  });
});

describe('CSV', () => {
  it('reads the server preamble, quoted fields and CRLF', () => {
    const text = '# measure: count\r\n# period: 2020-01 to 2020-12\r\nregion,name,count\r\nwessex,"Dorset, ""West""",5\r\none-london,,\r\n';
    expect(parseCsv(text)).toEqual({
      preamble: ['measure: count', 'period: 2020-01 to 2020-12'],
      columns: ['region', 'name', 'count'],
      rows: [
        ['wessex', 'Dorset, "West"', '5'],
        ['one-london', '', ''],
      ],
    });
  });
  it('writes what it reads', () => {
    const csv = toCsv(['a', 'b'], [{ a: 'x,y', b: null }, { a: 'q"r', b: 2 }], ['chart: test']);
    expect(csv).toBe('# chart: test\na,b\n"x,y",\n"q""r",2\n');
    expect(parseCsv(csv).rows).toEqual([['x,y', ''], ['q"r', '2']]);
  });
});

describe('periods and months', () => {
  it('offers the latest 12 months then whole financial years, newest first', () => {
    const p = periodOptions({ from: '2019-07', to: '2024-06' });
    expect(p[0]).toEqual({ label: '12 months to Jun 2024', from: '2023-07', to: '2024-06' });
    // 2019/20 starts in April 2019, before the data, so it is not offered.
    expect(p.map((o) => o.label).slice(1)).toEqual(['Financial year 2023/24', 'Financial year 2022/23', 'Financial year 2021/22', 'Financial year 2020/21']);
    expect(p[1]).toMatchObject({ from: '2023-04', to: '2024-03' });
    expect(p.every((o) => o.from >= '2019-07' && o.to <= '2024-06')).toBe(true);
  });
  it('offers researchers whole calendar years (partial at the data edges) and the whole period only', () => {
    const p = researchPeriodOptions({ from: '2019-07', to: '2024-06' });
    expect(p.map((o) => o.label)).toEqual(['2024 (Jan 2024 to Jun 2024)', '2023', '2022', '2021', '2020', '2019 (Jul 2019 to Dec 2019)', 'Whole period']);
    expect(p[1]).toEqual({ label: '2023', from: '2023-01', to: '2023-12' });
    expect(p.at(-1)).toEqual({ label: 'Whole period', from: '2019-07', to: '2024-06' });
    // Every window starts a year (or the data) and ends one (or the data): what the server accepts.
    expect(p.every((o) => (o.from.endsWith('-01') || o.from === '2019-07') && (o.to.endsWith('-12') || o.to === '2024-06'))).toBe(true);
  });
  it('does month arithmetic across years without time zones', () => {
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2023-12', 13)).toBe('2025-01');
    expect(previousYear({ from: '2023-07', to: '2024-06' })).toEqual({ from: '2022-07', to: '2023-06' });
    expect(fmtMonth('2020-03')).toBe('Mar 2020');
    expect(fmtPercent(-14.29)).toBe('-14.3%');
    expect(fmtPercent(3)).toBe('+3.0%');
  });
});

describe('problem+json', () => {
  it('falls back to the status text for a body that is not JSON', () => {
    const e = apiErrorFrom(502, 'Bad Gateway', 'text/html', '<h1>oops</h1>', '/api/meta');
    expect(e.message).toBe('The server could not complete this request.');
    expect(e.title).toBe('Bad Gateway');
  });
});
