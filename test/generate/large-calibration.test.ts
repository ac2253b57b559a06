import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS, STPS } from '../../domain/geography.ts';
import { loadRegionMonthlyActivity, loadStpPopulations } from '../../domain/reference-data.ts';
import { parseYearMonth } from '../../pipelines/generate/calendar.ts';
import { generateRecord } from '../../pipelines/generate/generate-record.ts';
import { compareWithRealSeries, ratioByStp, type StpMonthCheck } from './calibration-check.ts';

/**
 * A larger record generated in the test: 150,000 patients over 36 months (about 3.9 million
 * encounters, 2.3 GB uncompressed in a temporary folder). The smallest STP (Frimley, 3.2% of the
 * population) then expects about 4,900 A&E attendances, so its sd is ~1.5% (Poisson with the
 * frailty's overdispersion) and ±5% is more than 3 sd; emergency admissions are a quarter as many
 * (sd ~3%), hence ±10%.
 */
const FROM = '2019-07';
const TO = '2022-06';
let dir: string;
let checks: StpMonthCheck[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lhcre-calibration-'));
  await generateRecord({
    out: dir, size: { patients: 150_000 }, seed: 42, fromMonth: parseYearMonth(FROM), toMonth: parseYearMonth(TO),
    gzip: false, conditions: false, overwrite: false,
  });
  checks = await compareWithRealSeries(dir, FROM, TO);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('150,000-patient record against the real series', () => {
  it('A&E attendances per 1,000 by STP within ±5% of the real rate', () => {
    const ratios = ratioByStp(checks, 'ae');
    expect(ratios.size).toBe(STPS.length);
    for (const [stp, r] of ratios) expect(Math.abs(r - 1), stp).toBeLessThanOrEqual(0.05);
  });

  it('emergency admissions per 1,000 by STP within ±10% of the real rate', () => {
    for (const [stp, r] of ratioByStp(checks, 'emergency')) expect(Math.abs(r - 1), stp).toBeLessThanOrEqual(0.1);
  });

  it('A&E attendances per 1,000 by region within ±5% of the real regional series', () => {
    const stpRegion = new Map(STPS.map((s) => [s.code, s.region]));
    const regionPop = new Map<string, number>();
    for (const p of loadStpPopulations()) regionPop.set(p.region, (regionPop.get(p.region) ?? 0) + p.populationMid2019);
    const realRate = new Map(loadRegionMonthlyActivity().map((r) => [`${r.region}|${r.period.slice(0, 7)}`, r.attTotal / regionPop.get(r.region)!]));
    const observed = new Map<string, number>();
    const expected = new Map<string, number>();
    for (const c of checks) {
      if (c.service !== 'ae') continue;
      const region = stpRegion.get(c.stpCode)!;
      observed.set(region, (observed.get(region) ?? 0) + c.observed);
      expected.set(region, (expected.get(region) ?? 0) + realRate.get(`${region}|${c.month}`)! * c.personMonths);
    }
    for (const r of REGIONS) {
      expect(Math.abs(observed.get(r.code)! / expected.get(r.code)! - 1), r.code).toBeLessThanOrEqual(0.05);
    }
  });
});
