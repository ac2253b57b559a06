import { describe, expect, it } from 'vitest';
import { compareParams, parseCompare } from './compare-url.ts';
import { overviewParams, parseOverview } from '../overview/overview-url.ts';
import { parseResearch, researchParams } from '../research/research-url.ts';

const defaults = { from: '2023-07', to: '2024-06' };

describe('compare and overview URL state', () => {
  it('round-trips compare state', () => {
    const s = { service: 'gp_appointment' as const, rate: 'crude' as const, from: '2022-04', to: '2023-03', trendLevel: 'stp' as const };
    expect(parseCompare(compareParams(s), defaults)).toEqual(s);
  });

  it('uses the default window when from is after to', () => {
    const s = parseCompare(new URLSearchParams('from=2024-01&to=2023-01'), defaults);
    expect([s.from, s.to]).toEqual([defaults.from, defaults.to]);
  });

  it('round-trips overview state and fills defaults', () => {
    const s = { service: 'community_contact' as const, rate: 'dsr' as const, level: 'region' as const, from: '2021-04', to: '2022-03' };
    expect(parseOverview(overviewParams(s), defaults)).toEqual(s);
    expect(parseOverview(new URLSearchParams(''), defaults)).toEqual({ service: 'ae_attendance', rate: 'dsr', level: 'stp', ...defaults });
  });
});

describe('research URL state', () => {
  it('round-trips with an export id', () => {
    const s = { service: 'ae_attendance' as const, measure: 'dsr' as const, from: '2020-01', to: '2020-12', by: ['stp' as const, 'sex' as const], exportId: 'ec4f55b2-504e-4d43' };
    expect(parseResearch(researchParams(s), defaults)).toEqual(s);
  });

  it('keeps at most three known dimensions and never month with year', () => {
    const s = parseResearch(new URLSearchParams('by=year,month,bogus,sex,region,stp'), defaults);
    expect(s.by).toEqual(['month', 'sex', 'region']);
  });

  it('drops an export id with unsafe characters', () => {
    expect(parseResearch(new URLSearchParams('export=../../etc'), defaults).exportId).toBeNull();
  });
});
