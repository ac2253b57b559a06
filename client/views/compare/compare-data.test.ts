import { describe, expect, it } from 'vitest';
import { areaPoints, benchmarkRate, decilePoints, drawable, funnelLimits, funnelRate } from './compare-data.ts';

const rows = [
  { area_code: 'wessex', area_name: 'Wessex', level: 'region', count: 30, population: 2000, crude_rate: 15, crude_lo95: 10.1, crude_hi95: 21.4, dsr: 14, dsr_lo95: 9, dsr_hi95: 20, funnel_lo95: 9.5, funnel_hi95: 25, funnel_lo998: 7, funnel_hi998: 29, comparison: 'similar' },
  { area_code: 'one-london', area_name: 'One London', level: 'region', count: 10, population: 3000, crude_rate: 3.33, crude_lo95: 1.6, crude_hi95: 6.1, dsr: null, dsr_lo95: null, dsr_hi95: null, funnel_lo95: 10, funnel_hi95: 22, funnel_lo998: 8, funnel_hi998: 26, comparison: 'lower' },
  { area_code: 'E54000041', area_name: 'Dorset', level: 'stp', count: 5, population: 500, crude_rate: 10, crude_lo95: 3.2, crude_hi95: 23.3, dsr: null, dsr_lo95: null, dsr_hi95: null, funnel_lo95: 5, funnel_hi95: 34, funnel_lo998: 2, funnel_hi998: 44, comparison: 'similar' },
];

describe('compare data shaping', () => {
  it('labels region rows so a region and an STP of the same name differ', () => {
    const p = areaPoints(rows, 'dsr');
    expect(p.map((x) => x.label)).toEqual(['Wessex (region)', 'One London (region)', 'Dorset']);
    expect(p[0]).toMatchObject({ rate: 14, lo: 9, hi: 20, level: 'Region' });
  });

  it('draws no DSR where the server withheld it (under 10 events)', () => {
    expect(drawable(areaPoints(rows, 'dsr')).map((x) => x.area_code)).toEqual(['wessex']);
    expect(drawable(areaPoints(rows, 'crude'))).toHaveLength(3);
  });

  it("takes the benchmark from the server's metadata", () => {
    expect(benchmarkRate(rows, { benchmark_dsr: '12.25', benchmark_crude_rate: '8' }, 'dsr')).toBe(12.25);
    expect(funnelRate({ benchmark_dsr: '12.25' })).toBe('dsr');
    expect(funnelRate({})).toBe('crude');
  });

  it('pools region counts and person-years for a crude benchmark, and never guesses a DSR one', () => {
    // (30 + 10) events / (2000 + 3000) person-years x 1,000 = 8 per 1,000; STP rows are not added again.
    expect(benchmarkRate(rows, {}, 'crude')).toBe(8);
    expect(benchmarkRate(rows, {}, 'dsr')).toBeNull();
  });

  it('orders funnel limits by population for the lines', () => {
    expect(funnelLimits(rows).map((r) => r.population)).toEqual([500, 2000, 3000]);
  });

  it('sorts deciles and drops those without a rate', () => {
    const d = decilePoints([{ imd_decile: 10, crude_rate: 2, count: 4 }, { imd_decile: 1, crude_rate: 5, count: 9 }, { imd_decile: 5, crude_rate: null }], 'crude');
    expect(d.map((r) => r.imd_decile)).toEqual([1, 10]);
  });
});
