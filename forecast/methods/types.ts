/** What every forecasting method returns for one series. */
export interface MethodOutput {
  /** Point forecasts for horizons 1..h. */
  point: number[];
  /** Forecast standard deviation for horizons 1..h (Gaussian intervals: point +- z * sd). */
  sd: number[];
  /** One-step-ahead in-sample fits, NaN where the method has none (e.g. the first season). */
  fitted: number[];
  /** The model actually used, e.g. `ETS(A,Ad,M)` or `Theta (multiplicative SA)`. */
  detail: string;
  /** For ETS: the model chosen, so backtests can refit the same model at earlier origins. */
  etsSpec?: import('./ets.ts').EtsSpec;
}

/** y: the series (no gaps); m: seasonal period (12 for monthly); h: horizon. */
export type MethodFn = (y: readonly number[], m: number, h: number) => MethodOutput;

export const METHOD_NAMES = ['snaive', 'naive', 'ses', 'damped', 'ets', 'theta', 'combo'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];
