import { describe, expect, it } from 'vitest';
import { parseMonth } from '../../forecast/core/months.ts';
import { rng } from '../../forecast/core/stats.ts';
import { backtest, planBacktest } from '../../forecast/backtest.ts';
import { forecastSeries } from '../../forecast/forecast-series.ts';

const PAT = [10, 6, 3, 1, -4, -8, -11, -9, -5, -2, 2, 17];
const months = (from: string, n: number): number[] => Array.from({ length: n }, (_, i) => parseMonth(from)! + i);
const seasonal = (n: number, seed = 1, level = 200): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, (_, t) => level + PAT[t % 12]! + 0.2 * t + 3 * r.normal());
};

describe('forecastSeries edge cases', () => {
  it('one or two points: naive with wide intervals', () => {
    for (const values of [[50], [50, 60]]) {
      const r = forecastSeries({ periods: months('2023-01', values.length), values, horizon: 3 });
      expect(r.method).toBe('naive');
      expect(r.detail).toMatch(/fewer than 3 points/);
      expect(r.forecast[0]!.value).toBe(values[values.length - 1]);
      expect(r.forecast[0]!.hi95 - r.forecast[0]!.lo95).toBeGreaterThan(0.8 * r.forecast[0]!.value);
      expect(r.backtest).toBeNull();
    }
  });

  it('under two seasons: no seasonal model is used', () => {
    const y = seasonal(20);
    for (const method of ['ets', 'theta', 'combo', 'auto'] as const) {
      const r = forecastSeries({ periods: months('2022-01', 20), values: y, horizon: 6, method });
      expect(r.detail).not.toMatch(/,A\)|,M\)|seasonally adjusted/);
    }
  });

  it('series with zeros never get multiplicative seasonality', () => {
    const y = seasonal(60).map((v, t) => (t % 12 === 6 ? 0 : v));
    for (const method of ['ets', 'theta', 'combo'] as const) {
      const r = forecastSeries({ periods: months('2015-01', 60), values: y, horizon: 12, method, covid: null });
      expect(r.detail).not.toMatch(/,M\)|multiplicatively/);
    }
  });

  it('interpolates missing months for fitting, flags them and keeps them out of the backtest', () => {
    const y: (number | null)[] = seasonal(60);
    y[50] = null;
    const periods = months('2015-01', 60).filter((_, i) => i !== 51); // one null, one absent
    const values = y.filter((_, i) => i !== 51);
    const r = forecastSeries({ periods, values, horizon: 12, covid: null });
    expect(r.missingPeriods).toEqual([parseMonth('2019-03')!, parseMonth('2019-04')!]);
    const h50 = r.history[50]!;
    expect(h50.flag).toBe('interpolated');
    expect(h50.value).toBeNull();
    expect(h50.used).toBeCloseTo(y[49]! + (y[52]! - y[49]!) / 3, 9);
    // Backtest target months 48..59 include two interpolated ones, so each origin scores fewer points.
    const scored = r.backtest!.byHorizon.reduce((s, b) => s + b.n, 0);
    expect(scored).toBe(r.backtest!.origins.length * r.backtest!.horizon - countExcluded(r.backtest!.origins, r.backtest!.horizon, [50, 51]));
    expect(countExcluded(r.backtest!.origins, r.backtest!.horizon, [50, 51])).toBeGreaterThan(0);
  });

  it('replaces the COVID months by a pre-COVID counterfactual, flags them and reports it', () => {
    const n = 84; // 2017-01 .. 2023-12
    const y = seasonal(n, 5, 500).map((v, t) => (t >= 38 && t <= 50 ? v * 0.5 : v));
    const r = forecastSeries({ periods: months('2017-01', n), values: y, horizon: 12 });
    expect(r.covid).not.toBeNull();
    expect(r.covid!.months).toBe(13);
    expect(r.covid!.handling).toMatch(/counterfactual/);
    const covidRows = r.history.filter((h) => h.flag === 'covid-replaced');
    expect(covidRows).toHaveLength(13);
    expect(covidRows[0]!.period).toBe(parseMonth('2020-03'));
    // Counterfactual values are near the unshocked level, not the halved observations.
    for (const row of covidRows) expect(row.used).toBeGreaterThan(0.8 * (row.value! * 2));
    const none = forecastSeries({ periods: months('2017-01', n), values: y, horizon: 12, covid: null });
    expect(none.covid).toBeNull();
    expect(none.history.every((h) => h.flag === 'observed')).toBe(true);
  });

  it('a configurable COVID window is honoured', () => {
    const y = seasonal(84, 9, 500);
    const r = forecastSeries({ periods: months('2017-01', 84), values: y, horizon: 6, covid: { from: parseMonth('2020-04')!, to: parseMonth('2020-06')! } });
    expect(r.covid!.months).toBe(3);
    expect(r.history.filter((h) => h.flag === 'covid-replaced').map((h) => h.period)).toEqual(months('2020-04', 3));
  });

  it('forecast periods continue after the last observation, intervals nest, counts stay non-negative', () => {
    const y = seasonal(48).map((v) => v / 20);
    const r = forecastSeries({ periods: months('2019-01', 48), values: y, horizon: 24, covid: null });
    expect(r.forecast.map((f) => f.period)).toEqual(months('2023-01', 24));
    for (const f of r.forecast) {
      expect(f.lo95).toBeLessThanOrEqual(f.lo80);
      expect(f.lo80).toBeLessThanOrEqual(f.value);
      expect(f.hi80).toBeLessThanOrEqual(f.hi95);
      expect(f.lo95).toBeGreaterThanOrEqual(0);
    }
  });

  it('auto choice reports every candidate and the seasonal naive benchmark side by side', () => {
    const r = forecastSeries({ periods: months('2015-01', 72), values: seasonal(72), horizon: 12, covid: null });
    expect(r.candidates.map((c) => c.method).sort()).toEqual(['combo', 'ets', 'snaive', 'theta']);
    expect(r.backtest!.summary.naiveMase).toBeCloseTo(r.candidates.find((c) => c.method === 'snaive')!.mase!, 12);
    expect(r.backtest!.byHorizon).toHaveLength(12);
  });

  it('each horizon carries the seasonal naive scores of the same origins and months', () => {
    const y = seasonal(72, 4);
    const plan = planBacktest(72, 12, 12)!;
    const reports = backtest(y, 12, plan, ['theta', 'snaive'], new Set([40, 41]));
    const theta = reports.get('theta')!;
    const naive = reports.get('snaive')!;
    expect(theta.byHorizon).toHaveLength(12);
    theta.byHorizon.forEach((h, j) => {
      const b = naive.byHorizon[j]!;
      expect(h.naiveMase).toBe(b.mase);
      expect(h.naiveSmape).toBe(b.smape);
      expect(h.naiveCov80).toBe(b.cov80);
      expect(h.naiveCov95).toBe(b.cov95);
      expect(h.n).toBe(b.n);
    });
    expect(theta.summary.naiveCov95).toBe(naive.summary.cov95);
    // Theta is not seasonal naive: its own scores differ from the benchmark's somewhere.
    expect(theta.byHorizon.some((h) => h.mase !== h.naiveMase)).toBe(true);
  });

  it('an all-zero series forecasts zero with zero-width, non-negative intervals', () => {
    const zeros = Array.from({ length: 48 }, () => 0);
    const r = forecastSeries({ periods: months('2019-01', 48), values: zeros, horizon: 6 });
    for (const f of r.forecast) {
      expect(f.value).toBe(0);
      expect(f.lo95).toBe(0);
      expect(f.hi95).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(f.hi95)).toBe(true);
    }
    expect(r.detail).not.toMatch(/,M\)|multiplicatively/);
  });

  it('3 to 11 points (under one season): a non-seasonal forecast with a backtest and finite intervals', () => {
    for (const n of [3, 7, 11]) {
      const y = seasonal(n, n);
      const r = forecastSeries({ periods: months('2023-01', n), values: y, horizon: 4 });
      expect(r.method).not.toBe('snaive');
      expect(r.detail).not.toMatch(/,A\)|,M\)|seasonally adjusted/);
      expect(r.forecast).toHaveLength(4);
      for (const f of r.forecast) {
        expect(Number.isFinite(f.value) && Number.isFinite(f.lo95) && Number.isFinite(f.hi95)).toBe(true);
        expect(f.lo95).toBeLessThanOrEqual(f.value);
        expect(f.hi95).toBeGreaterThan(f.value);
      }
    }
  });

  it('fewer than 3 pre-COVID points: values kept for fitting, still not scored', () => {
    // 2020-01 .. 2023-12: only January and February 2020 precede the window.
    const n = 48;
    const y = seasonal(n, 11, 300);
    const r = forecastSeries({ periods: months('2020-01', n), values: y, horizon: 6 });
    expect(r.covid!.handling).toMatch(/fewer than 3 pre-COVID points, values kept/);
    expect(r.history.some((h) => h.flag === 'covid-replaced')).toBe(false);
    expect(r.history.slice(2, 15).every((h) => h.used === h.value)).toBe(true);
    const scored = r.backtest!.byHorizon.reduce((s, b) => s + b.n, 0);
    const covidIdx = Array.from({ length: 13 }, (_, i) => i + 2);
    expect(scored).toBe(r.backtest!.origins.length * r.backtest!.horizon - countExcluded(r.backtest!.origins, r.backtest!.horizon, covidIdx));
  });

  it('on a purely seasonal series the seasonal naive backtest MASE is exactly 0', () => {
    const y = Array.from({ length: 60 }, (_, t) => 100 + PAT[t % 12]! + Math.floor(t / 12));
    const r = forecastSeries({ periods: months('2010-01', 60), values: y.map((v, t) => v - Math.floor(t / 12)), horizon: 12, method: 'snaive', covid: null });
    expect(r.backtest!.summary.mase).toBe(0);
    expect(r.backtest!.summary.smape).toBe(0);
  });
});

function countExcluded(origins: number[], H: number, idx: number[]): number {
  let k = 0;
  for (const T of origins) for (const i of idx) if (i >= T && i < T + H) k++;
  return k;
}
