import { describe, expect, it } from 'vitest';
import { rng } from '../../forecast/core/stats.ts';
import { forecastSeries } from '../../forecast/forecast-series.ts';

/**
 * Interval calibration on simulated data whose generating process is known: 300 series from
 * ETS(A,N,A) (local level + additive seasonality, Gaussian errors), forecast 12 months ahead with
 * the automatic method choice, scored against a continuation drawn from the same process.
 */
function simulate(seed: number, n: number, h: number): number[] {
  const r = rng(seed);
  const alpha = 0.1 + 0.4 * r.uniform();
  const gamma = 0.05 * r.uniform();
  const sigma = 2 + 6 * r.uniform();
  let level = 200 + 100 * r.uniform();
  const amp = 5 + 25 * r.uniform();
  const s = Array.from({ length: 12 }, (_, i) => amp * Math.sin((2 * Math.PI * i) / 12));
  const y: number[] = [];
  for (let t = 0; t < n + h; t++) {
    const e = sigma * r.normal();
    y.push(level + s[t % 12]! + e);
    level += alpha * e;
    s[t % 12] = s[t % 12]! + gamma * e;
  }
  return y;
}

describe('prediction interval coverage on 300 simulated ETS(A,N,A) series', () => {
  it('80% and 95% intervals cover close to their nominal rates', () => {
    const n = 72;
    const h = 12;
    let c80 = 0;
    let c95 = 0;
    let k = 0;
    for (let i = 0; i < 300; i++) {
      const y = simulate(1000 + i, n, h);
      const r = forecastSeries({ periods: y.slice(0, n).map((_, t) => t), values: y.slice(0, n), horizon: h, monthly: false });
      r.forecast.forEach((f, j) => {
        const a = y[n + j]!;
        if (a >= f.lo80 && a <= f.hi80) c80++;
        if (a >= f.lo95 && a <= f.hi95) c95++;
        k++;
      });
    }
    expect(c95 / k).toBeGreaterThanOrEqual(0.9);
    expect(c95 / k).toBeLessThanOrEqual(0.99);
    expect(c80 / k).toBeGreaterThanOrEqual(0.72);
    expect(c80 / k).toBeLessThanOrEqual(0.88);
  });
});
