import { maseScale, smapeTerm, Z80, Z95 } from './metrics.ts';
import { runMethods } from './methods/registry.ts';
import type { EtsSpec } from './methods/ets.ts';
import type { MethodName } from './methods/types.ts';

/**
 * Rolling-origin evaluation (Tashman 2000): refit at each origin, forecast up to H ahead, score
 * against what followed. Months flagged as excluded (COVID, interpolated gaps) are not scored.
 * Given `etsSpec`, ETS refits that model at each origin instead of re-running the AICc search:
 * a third of the cost, which keeps every region and STP series with backtests under 2 s.
 */
/** Scores of one method, with the seasonal naive benchmark's scores on the same origins and months beside them. */
interface Scores { mase: number | null; smape: number | null; cov80: number | null; cov95: number | null; naiveMase: number | null; naiveSmape: number | null; naiveCov80: number | null; naiveCov95: number | null }
export interface HorizonScore extends Scores { h: number; n: number }
export type BacktestSummary = Scores;
export interface BacktestReport {
  horizon: number;
  origins: number[];
  byHorizon: HorizonScore[];
  summary: BacktestSummary;
  /** Sum of squared standardised errors (e / sd)^2 and their count, for interval calibration. */
  z2: number;
  k: number;
}

export interface BacktestPlan { horizon: number; origins: number[] }

/** Origins step back 3 months from the last possible one, keeping at least two seasons to fit. */
export function planBacktest(n: number, m: number, horizon: number, maxOrigins = 4, step = 3): BacktestPlan | null {
  const minTrain = n >= 3 * m ? 2 * m : Math.max(3, Math.ceil(n / 2));
  const H = Math.min(horizon, 12, n - minTrain);
  if (H < 1) return null;
  const origins: number[] = [];
  for (let T = n - H; T >= minTrain && origins.length < maxOrigins; T -= step) origins.push(T);
  return origins.length ? { horizon: H, origins: origins.reverse() } : null;
}

interface Acc { ae: number; sm: number; c80: number; c95: number; k: number; km: number; z2: number }
const acc = (): Acc => ({ ae: 0, sm: 0, c80: 0, c95: 0, k: 0, km: 0, z2: 0 });
const ratio = (a: number, k: number): number | null => (k ? a / k : null);

export function backtest(
  y: readonly number[], m: number, plan: BacktestPlan, names: readonly MethodName[], exclude: ReadonlySet<number>, etsSpec?: EtsSpec,
): Map<MethodName, BacktestReport> {
  const H = plan.horizon;
  const want = new Set<MethodName>([...names, 'snaive']);
  const byMethod = new Map<MethodName, Acc[]>([...want].map((n) => [n, Array.from({ length: H }, acc)]));
  for (const T of plan.origins) {
    const train = y.slice(0, T);
    const scale = maseScale(train, m);
    const outs = runMethods(train, m, H, [...want], etsSpec);
    for (const [name, rows] of byMethod) {
      const out = outs.get(name)!;
      for (let j = 0; j < H; j++) {
        const idx = T + j;
        if (exclude.has(idx)) continue;
        const e = Math.abs(y[idx]! - out.point[j]!);
        const r = rows[j]!;
        r.k++;
        r.sm += smapeTerm(y[idx]!, out.point[j]!);
        if (Number.isFinite(scale)) { r.ae += e / scale; r.km++; }
        const sd = out.sd[j]!;
        if (sd > 0) r.z2 += (e / sd) ** 2;
        else if (e > 0) r.z2 += 100;
        if (e <= Z80 * sd) r.c80++;
        if (e <= Z95 * sd) r.c95++;
      }
    }
  }
  const naiveRows = byMethod.get('snaive')!;
  const total = (rows: Acc[]): Acc => rows.reduce((t, r) => ({ ae: t.ae + r.ae, sm: t.sm + r.sm, c80: t.c80 + r.c80, c95: t.c95 + r.c95, k: t.k + r.k, km: t.km + r.km, z2: t.z2 + r.z2 }), acc());
  const nv = total(naiveRows);
  // The benchmark's coverage is of its own (uncalibrated) model intervals.
  const scores = (r: Acc, b: Acc): Scores => ({
    mase: ratio(r.ae, r.km), smape: ratio(r.sm, r.k), cov80: ratio(r.c80, r.k), cov95: ratio(r.c95, r.k),
    naiveMase: ratio(b.ae, b.km), naiveSmape: ratio(b.sm, b.k), naiveCov80: ratio(b.c80, b.k), naiveCov95: ratio(b.c95, b.k),
  });
  const reports = new Map<MethodName, BacktestReport>();
  for (const name of names) {
    const rows = byMethod.get(name)!;
    const t = total(rows);
    reports.set(name, {
      horizon: H,
      origins: plan.origins,
      byHorizon: rows.map((r, j) => ({ h: j + 1, ...scores(r, naiveRows[j]!), n: r.k })),
      summary: scores(t, nv),
      z2: t.z2,
      k: t.k,
    });
  }
  return reports;
}
