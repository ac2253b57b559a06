import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STPS } from '../../domain/geography.ts';
import { dataSamplesDir } from '../../domain/reference-data.ts';
import { compareWithRealSeries, ratioByStp, type StpMonthCheck } from './calibration-check.ts';
import { poissonLimits } from './poisson.ts';
import { readLines, recordFiles } from './record-reader.ts';

const SAMPLE = path.join(dataSamplesDir, 'sample-record');
let checks: StpMonthCheck[];

beforeAll(async () => {
  checks = await compareWithRealSeries(SAMPLE, '2019-07', '2024-06');
}, 120_000);

/**
 * Tolerances, stated statistically: the sample has ~6,000 people, so an STP-month holds only 5-50
 * attendances. Counts are Poisson given a person's rate (plus a shared frailty, which widens
 * them a little), so at least 95% of STP-months must fall inside the exact 99.8% Poisson limits of
 * their expected count (99.8% would, for pure Poisson), and over the whole five years each STP's
 * A&E rate must be within ±15% of the real rate (its sd is about 4-7% there).
 */
describe('committed sample against the real STP series', () => {
  it('covers every STP-month of the 14 STPs for five years', () => {
    expect(checks.filter((c) => c.service === 'ae')).toHaveLength(14 * 60);
  });

  for (const service of ['ae', 'emergency'] as const) {
    it(`${service}: at least 95% of STP-months inside the 99.8% Poisson limits`, () => {
      const own = checks.filter((c) => c.service === service);
      const inside = own.filter((c) => {
        const [lo, hi] = poissonLimits(c.expected, 0.001);
        return c.observed >= lo && c.observed <= hi;
      });
      expect(inside.length / own.length).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('A&E attendances per 1,000 by STP over the five years within ±15% of the real rate', () => {
    const ratios = ratioByStp(checks, 'ae');
    expect(ratios.size).toBe(STPS.length);
    for (const [stp, r] of ratios) expect(Math.abs(r - 1), stp).toBeLessThanOrEqual(0.15);
  });

  it('shows the COVID-19 dip of the real series: April 2020 A&E far below the months before', () => {
    const ae = checks.filter((c) => c.service === 'ae');
    const total = (m: (s: string) => boolean) => ae.filter((c) => m(c.month)).reduce((s, c) => s + c.observed, 0);
    const before = total((m) => m >= '2019-07' && m <= '2020-02') / 8;
    const april = total((m) => m === '2020-04');
    // Real: about -55% in the five regions; allow sampling noise on ~1,000 events a month.
    expect(april / before).toBeGreaterThan(0.3);
    expect(april / before).toBeLessThan(0.6);
  });
});

describe('committed sample: remote GP appointments', () => {
  it('moves to about 35% remote (class VR) after March 2020, from about 12% before', async () => {
    const n = { before: [0, 0], after: [0, 0] };
    for await (const line of readLines(recordFiles(SAMPLE, 'Encounter')[0]!)) {
      if (!line.includes('"185347001"')) continue;
      const start = line.slice(line.indexOf('"start":"') + 9, line.indexOf('"start":"') + 16);
      const bucket = start < '2020-03' ? n.before : start >= '2021-07' ? n.after : null;
      if (!bucket) continue;
      bucket[0]!++;
      if (line.includes('"code":"VR"')) bucket[1]!++;
    }
    expect(n.before[1]! / n.before[0]!).toBeGreaterThan(0.09);
    expect(n.before[1]! / n.before[0]!).toBeLessThan(0.15);
    expect(n.after[1]! / n.after[0]!).toBeGreaterThan(0.31);
    expect(n.after[1]! / n.after[0]!).toBeLessThan(0.39);
  });
});
