import { describe, expect, it } from 'vitest';
import { deseasonalise, isSeasonal, seasonalIndices } from '../../forecast/core/decompose.ts';
import { nelderMead } from '../../forecast/core/optim.ts';
import { acf, qnorm, rng } from '../../forecast/core/stats.ts';
import { fitEts } from '../../forecast/methods/ets.ts';
import { autoEts } from '../../forecast/methods/ets-auto.ts';
import { naive, seasonalNaive } from '../../forecast/methods/naive.ts';
import { runMethod } from '../../forecast/methods/registry.ts';
import { theta } from '../../forecast/methods/sa-models.ts';

const PATTERN = [12, 8, 5, 3, -2, -6, -9, -7, -3, 0, 4, 5]; // sums to 10: centred below
const PAT = PATTERN.map((v) => v - PATTERN.reduce((a, b) => a + b, 0) / 12);
const pureSeasonal = (years: number, level = 100): number[] => Array.from({ length: 12 * years }, (_, t) => level + PAT[t % 12]!);

describe('known answers', () => {
  it('seasonal naive reproduces a purely seasonal series exactly', () => {
    const y = pureSeasonal(5);
    const f = seasonalNaive(y, 12, 24).point;
    expect(f).toEqual(Array.from({ length: 24 }, (_, i) => 100 + PAT[(60 + i) % 12]!));
  });

  it('Holt-Winters (additive) and the auto-selected ETS reproduce a purely seasonal series', () => {
    const y = pureSeasonal(5);
    const truth = Array.from({ length: 24 }, (_, i) => 100 + PAT[(60 + i) % 12]!);
    const hw = fitEts(y, 12, { trend: 'N', season: 'A' }).forecast(24).point;
    hw.forEach((v, i) => expect(v).toBeCloseTo(truth[i]!, 6));
    const auto = autoEts(y, 12, 24).point;
    auto.forEach((v, i) => expect(v).toBeCloseTo(truth[i]!, 3));
  });

  it('multiplicative Holt-Winters reproduces a purely multiplicative seasonal series', () => {
    const y = Array.from({ length: 60 }, (_, t) => 200 * (1 + PAT[t % 12]! / 50));
    const f = fitEts(y, 12, { trend: 'N', season: 'M' }).forecast(12).point;
    f.forEach((v, i) => expect(v).toBeCloseTo(200 * (1 + PAT[i % 12]! / 50), 4));
  });

  it("Holt's linear method extrapolates a straight line exactly", () => {
    const y = Array.from({ length: 30 }, (_, t) => 10 + 2 * t);
    const f = fitEts(y, 1, { trend: 'A', season: 'N' }).forecast(6).point;
    f.forEach((v, i) => expect(v).toBeCloseTo(10 + 2 * (30 + i), 4));
  });

  it('Theta on a straight line is SES with half the slope as drift (Hyndman & Billah 2003)', () => {
    const y = Array.from({ length: 30 }, (_, t) => 10 + 2 * t);
    const f = theta(y, 12, 6).point;
    // alpha -> 1 on a line: level = last value, drift b/2 per step (b = 2), plus b/2 * 1/alpha.
    f.forEach((v, i) => expect(v).toBeCloseTo(68 + (i + 1), 2));
  });

  it('Theta on a constant series forecasts the constant with zero-width intervals', () => {
    const y = Array.from({ length: 40 }, () => 7);
    const out = theta(y, 12, 12);
    out.point.forEach((v) => expect(v).toBeCloseTo(7, 9));
    out.sd.forEach((v) => expect(v).toBeCloseTo(0, 9));
  });

  it('naive and seasonal naive interval widths follow FPP3 5.5', () => {
    const y = [1, 3, 2, 5, 4, 6];
    const sigma = Math.sqrt((4 + 1 + 9 + 1 + 4) / 4);
    expect(naive(y, 12, 4).sd.map((v) => v / sigma)).toEqual([1, Math.SQRT2, Math.sqrt(3), 2].map((v) => expect.closeTo(v, 12)));
    const ys = pureSeasonal(3).map((v, t) => v + (t >= 12 ? 1 : 0));
    const sn = seasonalNaive(ys, 12, 25).sd;
    expect(sn[12]! / sn[0]!).toBeCloseTo(Math.SQRT2, 12);
    expect(sn[24]! / sn[0]!).toBeCloseTo(Math.sqrt(3), 12);
  });
});

describe('building blocks', () => {
  it('qnorm matches published normal quantiles', () => {
    expect(qnorm(0.975)).toBeCloseTo(1.959963985, 8);
    expect(qnorm(0.9)).toBeCloseTo(1.281551566, 8);
    expect(qnorm(0.001)).toBeCloseTo(-3.090232306, 7);
  });

  it('acf of 1..10 matches R (acf(1:10)$acf[2] = 0.7)', () => {
    expect(acf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2)[0]).toBeCloseTo(0.7, 12);
    expect(acf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2)[1]).toBeCloseTo(0.4121212, 6);
  });

  it('additive decomposition recovers the seasonal pattern exactly under a linear trend', () => {
    const y = Array.from({ length: 48 }, (_, t) => 50 + 0.5 * t + PAT[t % 12]!);
    seasonalIndices(y, 12, 'additive').forEach((v, i) => expect(v).toBeCloseTo(PAT[i]!, 9));
  });

  it('the 90% seasonality test finds seasonality and rejects white noise', () => {
    const r = rng(7);
    expect(isSeasonal(pureSeasonal(4).map((v) => v + r.normal()), 12)).toBe(true);
    expect(isSeasonal(Array.from({ length: 48 }, () => 100 + r.normal()), 12)).toBe(false);
    expect(deseasonalise(pureSeasonal(4).map((v, t) => v - (t % 12 === 0 ? 200 : 0)), 12).type).toBe('additive');
  });

  it('Nelder-Mead finds the Rosenbrock minimum', () => {
    const res = nelderMead(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [-1.2, 1], { maxEvals: 5000, tol: 1e-14 });
    expect(res.x[0]).toBeCloseTo(1, 3);
    expect(res.x[1]).toBeCloseTo(1, 3);
  });

  it('the combination is the mean of its ETS and Theta members', () => {
    const r = rng(3);
    const y = pureSeasonal(6).map((v, t) => v + 0.3 * t + 2 * r.normal());
    const c = runMethod(y, 12, 6, 'combo').point;
    const e = runMethod(y, 12, 6, 'ets').point;
    const th = runMethod(y, 12, 6, 'theta').point;
    c.forEach((v, i) => expect(v).toBeCloseTo((e[i]! + th[i]!) / 2, 9));
  });
});
