import { describe, expect, it } from 'vitest';
import { parseMonth } from '../../forecast/core/months.ts';
import { rng } from '../../forecast/core/stats.ts';
import { buildFamily, forecastFamily } from '../../forecast/family.ts';
import { bandGrowthRate } from '../../forecast/projection/population.ts';
import { project, type BaseCell } from '../../forecast/projection/project.ts';
import { reconcileTwoLevel, sumSeries } from '../../forecast/projection/reconcile.ts';
import { avoidedShare, rampFraction } from '../../forecast/projection/schemes.ts';

const M = (s: string): number => parseMonth(s)!;
const cells: BaseCell[] = [
  { ageBand: '20-24', sex: 'female', events: 1200, population: 10000 },
  { ageBand: '85-89', sex: 'male', events: 1200, population: 1000 },
];
const flatShare = new Array<number>(12).fill(1);
const base = { service: 'emergency_admission', cells, monthShare: flatShare, baseStart: M('2023-01'), popGrowthPct: 0.5, nonDemGrowthPct: 0, schemes: [], meanLos: null, occupancy: 0.92 };

describe('planning projection', () => {
  it('default growth: +0.3%/yr under 65 and +2.5%/yr at 85+', () => {
    expect(bandGrowthRate('20-24', 0.5)).toBeCloseTo(0.003, 12);
    expect(bandGrowthRate('85-89', 0.5)).toBeCloseTo(0.025, 12);
  });

  it('rates x projected population, worked by hand', () => {
    // Years run from the base year's midpoint (2023-01 + 5.5 months): 2024-07 is 12.5/12 years on.
    const [row] = project({ ...base, months: [M('2024-07')] });
    const years = 12.5 / 12;
    expect(row!.baseline).toBeCloseTo(200, 9);
    // 100/month at 20-24 grows 0.3%/yr, 100/month at 85-89 grows 2.5%/yr.
    expect(row!.demographic).toBeCloseTo(100 * 1.003 ** years + 100 * 1.025 ** years, 9);
    expect(row!.value).toBeCloseTo(row!.demographic, 12);
  });

  it('non-demographic growth compounds on top of demographic growth', () => {
    const [row] = project({ ...base, popGrowthPct: 0, nonDemGrowthPct: 2, months: [M('2025-07')] });
    expect(row!.demographic).toBeCloseTo(200, 9);
    expect(row!.nonDemographic).toBeCloseTo(200 * 1.02 ** (24.5 / 12), 9);
  });

  it('schemes ramp linearly from their start month and combine multiplicatively', () => {
    const s = { service: 'emergency_admission', percent: 10, startMonth: M('2025-01'), rampMonths: 4 };
    expect([M('2024-12'), M('2025-01'), M('2025-02'), M('2025-04'), M('2026-01')].map((m) => rampFraction(s, m))).toEqual([0, 0.25, 0.5, 1, 1]);
    expect(avoidedShare([s, { ...s, percent: 20, rampMonths: 0 }], 'emergency_admission', M('2026-01'))).toBeCloseTo(1 - 0.9 * 0.8, 12);
    expect(avoidedShare([s], 'ae_attendance', M('2026-01'))).toBe(0);
    const [row] = project({ ...base, popGrowthPct: 0, schemes: [s], months: [M('2025-02')] });
    expect(row!.avoided).toBeCloseTo(200 * 0.05, 9);
    expect(row!.value).toBeCloseTo(190, 9);
  });

  it('admissions become bed days and beds at the target occupancy', () => {
    const [row] = project({ ...base, popGrowthPct: 0, meanLos: 4.5, occupancy: 0.92, months: [M('2023-02')] });
    expect(row!.bedDays).toBeCloseTo(200 * 4.5, 9);
    expect(row!.beds).toBeCloseTo((200 * 4.5) / 28 / 0.92, 9);
  });

  it('keeps the base year seasonal shape', () => {
    const share = [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2];
    const rows = project({ ...base, popGrowthPct: 0, monthShare: share, months: [M('2024-01'), M('2024-02')] });
    expect(rows[0]!.value / rows[1]!.value).toBeCloseTo(2, 12);
    expect(rows[0]!.value).toBeCloseTo((2400 * 2) / 14, 9);
  });
});

describe('reconciliation', () => {
  const band = (v: number[]) => ({ value: v, lo80: v.map((x) => x - 1), hi80: v.map((x) => x + 1), lo95: v.map((x) => x - 2), hi95: v.map((x) => x + 2) });

  it('OLS two-level reconciliation, worked by hand: the gap is shared equally', () => {
    // region 100, STPs 30 + 40 + 20 = 90: gap 10 shared over 4 series -> +2.5 each, region 97.5.
    const r = reconcileTwoLevel(band([100]), [band([30]), band([40]), band([20])]);
    expect(r.stps.map((s) => s.value[0])).toEqual([32.5, 42.5, 22.5]);
    expect(r.region.value[0]).toBe(97.5);
    expect(r.stps[0]!.hi95[0]).toBe(34.5);
  });

  it('STP forecasts add up to the region exactly (random families)', () => {
    const g = rng(11);
    for (let trial = 0; trial < 50; trial++) {
      const k = 1 + Math.floor(g.uniform() * 5);
      const stps = Array.from({ length: k }, () => band(Array.from({ length: 24 }, () => 1000 * g.uniform() + 0.1 * g.normal())));
      const r = reconcileTwoLevel(band(Array.from({ length: 24 }, () => 3000 * g.uniform())), stps);
      expect(r.region.value).toEqual(sumSeries(r.stps.map((s) => s.value)));
    }
  });

  it('a forecast family is coherent and keeps each STP history', () => {
    const g = rng(5);
    const start = M('2018-01');
    const cellsIn = ['E54000042', 'E54000041'].flatMap((stp, j) =>
      Array.from({ length: 60 }, (_, i) => ({ stp, month: start + i, events: 500 * (j + 1) + 50 * Math.sin((2 * Math.PI * i) / 12) + 10 * g.normal() })));
    const fam = buildFamily('wessex', cellsIn, start, start + 59);
    expect(fam.region[0]).toBeCloseTo(cellsIn[0]!.events + cellsIn[60]!.events, 9);
    const f = forecastFamily(fam, { horizon: 12 });
    const stpValues = [...f.stps.values()].map((s) => s.forecast.map((p) => p.value));
    expect(f.region.forecast.map((p) => p.value)).toEqual(sumSeries(stpValues));
    expect(f.stps.get('E54000041')!.history[3]!.value).toBeCloseTo(cellsIn[63]!.events, 9);
  });
});
