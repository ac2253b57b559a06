import { describe, expect, it } from 'vitest';
import { lineRows, normaliseForecast, toMonth } from './forecast-model.ts';
import { bedRows, breakdownRows, covidRows } from './demand-data.ts';

/** The shape GET /api/forecast answers (forecast/api/respond.ts), trimmed. */
const response = {
  series: { level: 'region', area: 'wessex', region: 'wessex', service: 'emergency_admission' },
  method: 'combo',
  methodDetail: 'Combination: mean of ETS(A,N,N) and Theta',
  history: [
    { month: '2020-02', value: 10, used: 10, flag: 'observed' },
    { month: '2020-03', value: 4, used: 9, flag: 'covid-replaced' },
  ],
  fitted: [{ month: '2020-03', value: 9.5 }],
  forecast: [{ month: '2020-04', value: 11, lo80: 8, hi80: 14, lo95: 6, hi95: 16 }],
  backtest: {
    horizon: 12,
    origins: ['2019-01', '2019-04'],
    byHorizon: [{ h: 1, mase: 0.8, smape: 12, cov80: 0.75, cov95: 1, n: 2 }],
    summary: { mase: 0.9, smape: 14.2, cov80: 0.8, cov95: 0.95, naiveMase: 1.2, naiveSmape: 18, naiveCov80: 0.7, naiveCov95: 0.9 },
    candidates: [{ method: 'ets', mase: 0.95, smape: 15 }],
  },
  covid: { from: '2020-03', to: '2021-03', months: 13, handling: 'replaced' },
  scenario: {
    params: { popGrowthPct: 0.5, nonDemGrowthPct: 0, occupancy: 0.92, meanLosDays: 4.25, schemes: [] },
    projected: [{ month: '2020-04', baseline: 10, demographic: 10.1, nonDemographic: 10.1, avoided: 0, value: 10.1, bedDays: 42.9, beds: 1.55 }],
  },
};

describe('forecast response', () => {
  it('normalises every part the view draws', () => {
    const m = normaliseForecast(response);
    expect(m.method).toBe('combo');
    expect(m.detail).toBe('Combination: mean of ETS(A,N,N) and Theta');
    expect(m.history[1]).toEqual({ month: '2020-03', value: 4, flag: 'covid-replaced' });
    expect(m.forecast[0]).toEqual({ month: '2020-04', value: 11, lo80: 8, hi80: 14, lo95: 6, hi95: 16 });
    expect(m.backtest).toEqual({ mase: 0.9, smape: 14.2, cov80: 0.8, cov95: 0.95, naiveMase: 1.2, naiveSmape: 18, naiveCov80: 0.7, naiveCov95: 0.9 });
    expect(m.candidates).toEqual([{ method: 'ets', mase: 0.95, smape: 15 }]);
    expect(m.covid).toEqual({ from: '2020-03', to: '2021-03', handling: 'replaced' });
    expect(m.scenario[0]).toMatchObject({ month: '2020-04', value: 10.1, bedDays: 42.9, beds: 1.55 });
    expect(m.assumptions.popGrowthPct).toBe(0.5);
    expect(lineRows(m).map((r) => r.series)).toEqual(['Observed', 'Observed', 'Fitted', 'Forecast', 'Planning scenario']);
  });

  it('turns unreadable values into gaps, never into numbers', () => {
    const m = normaliseForecast({ history: [{ month: '2020-01', value: 'NaN' }, { month: 'soon', value: 3 }], forecast: 'x' });
    expect(m.history).toEqual([{ month: '2020-01', value: null, flag: 'observed' }]);
    expect(m.forecast).toEqual([]);
    expect(m.backtest).toBeNull();
  });

  it('reads month indices as well as text', () => {
    expect(toMonth(2020 * 12 + 2)).toBe('2020-03');
    expect(toMonth('2021-12-01')).toBe('2021-12');
    expect(toMonth('2021-13')).toBeNull();
  });

  it('shades COVID months up to the month after the last, so the last is covered', () => {
    expect(covidRows(normaliseForecast(response))).toEqual([{ from: '2020-03', to: '2021-04', label: 'COVID-19 months' }]);
  });

  it('beds: observed from bed days over days in the month at the occupancy, projected as sent', () => {
    // February 2020 has 29 days: 58 bed days / 29 / 0.8 = 2.5 beds.
    const rows = bedRows([{ month: '2020-02', value: 58 }], normaliseForecast(response).scenario, 80);
    expect(rows[0]).toEqual({ month: '2020-02', series: 'Observed', bedDays: 58, beds: 2.5 });
    expect(rows[1]).toEqual({ month: '2020-04', series: 'Projected', bedDays: 42.9, beds: 1.55 });
  });

  it('breakdown rows keep the category and the CI', () => {
    expect(breakdownRows([{ age_band: '0-4', value: 12.5, lo95: 10, hi95: 15, count: 40 }], 'age_band')).toEqual([
      { category: '0-4', rate: 12.5, lo: 10, hi: 15, count: 40, population: null },
    ]);
  });
});
