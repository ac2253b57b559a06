/** Public surface of the forecasting module (pipeline, server and CLI import from here). */
export { forecastSeries, chooseMethod, intervalScale, DEFAULT_AUTO_MARGIN } from './forecast-series.ts';
export type { ForecastRequest, ForecastPoint, SeriesForecast, HistoryFlag } from './forecast-series.ts';
export type { BacktestReport, HorizonScore, BacktestSummary } from './backtest.ts';
export { DEFAULT_COVID } from './prepare.ts';
export type { CovidWindow } from './prepare.ts';
export { METHOD_NAMES } from './methods/types.ts';
export type { MethodName } from './methods/types.ts';
export { formatMonth, parseMonth, monthDate, monthOf, daysInMonth } from './core/months.ts';
