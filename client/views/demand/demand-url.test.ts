import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SERVICE_CODES, STP_CODES, REGION_CODES } from '../../lib/areas.ts';
import { HORIZONS, demandParams, parseDemand, parseScheme, type DemandState } from './demand-url.ts';

describe('demand URL state', () => {
  it('reads a full link', () => {
    const s = parseDemand(new URLSearchParams('level=stp&area=E54000007&service=ae_attendance&horizon=36&popGrowth=0.5&nonDemGrowth=1.5&occupancy=85&scheme=ae_attendance:10:2025-04:6'));
    expect(s).toEqual({
      level: 'stp',
      area: 'E54000007',
      service: 'ae_attendance',
      horizon: 36,
      popGrowth: 0.5,
      nonDemGrowth: 1.5,
      occupancy: 85,
      schemes: [{ service: 'ae_attendance', percent: 10, start: '2025-04', rampMonths: 6 }],
    });
  });

  it('falls back to defaults for bad values rather than failing', () => {
    const s = parseDemand(new URLSearchParams('level=stp&area=wessex&service=nope&horizon=7&popGrowth=abc&occupancy=20&scheme=bad'));
    expect(s.area).toBe(STP_CODES[0]);
    expect(s.service).toBe('emergency_admission');
    expect(s.horizon).toBe(24);
    expect(s.popGrowth).toBeNull();
    expect(s.occupancy).toBe(92);
    expect(s.schemes).toEqual([]);
  });

  it('rejects schemes outside their bounds', () => {
    expect(parseScheme('ae_attendance:0:2025-01:0')).toBeNull();
    expect(parseScheme('ae_attendance:101:2025-01:0')).toBeNull();
    expect(parseScheme('ae_attendance:5:2025-13:0')).toBeNull();
    expect(parseScheme('ae_attendance:5:2025-01:61')).toBeNull();
    expect(parseScheme('ae_attendance:5:2025-01:60')).toEqual({ service: 'ae_attendance', percent: 5, start: '2025-01', rampMonths: 60 });
  });

  it('round-trips any valid state through the URL', () => {
    const month = fc.tuple(fc.integer({ min: 2019, max: 2030 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
    const scheme = fc.record({
      service: fc.constantFrom(...SERVICE_CODES),
      percent: fc.integer({ min: 1, max: 1000 }).map((x) => x / 10),
      start: month,
      rampMonths: fc.integer({ min: 0, max: 60 }),
    });
    const growth = fc.option(fc.integer({ min: -100, max: 100 }).map((x) => x / 10), { nil: null });
    const state = fc.constantFrom('region' as const, 'stp' as const).chain((level) =>
      fc.record({
        level: fc.constant(level),
        area: fc.constantFrom(...(level === 'region' ? REGION_CODES : STP_CODES)),
        service: fc.constantFrom(...SERVICE_CODES),
        horizon: fc.constantFrom(...HORIZONS),
        popGrowth: growth,
        nonDemGrowth: growth,
        occupancy: fc.integer({ min: 50, max: 100 }),
        schemes: fc.array(scheme, { maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(state, (s: DemandState) => {
        const text = demandParams(s).toString();
        expect(parseDemand(new URLSearchParams(text))).toEqual(s);
      }),
    );
  });
});
