import { z } from 'zod';
import { DisclosureConfigSchema, type DisclosureConfig } from '../config.ts';

const EnvInt = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Export limits and disclosure thresholds; environment variables override the defaults. */
export const ExportOptionsSchema = z.object({
  /** Published rows (cells and margins) per export. */
  maxCells: EnvInt(20_000, 1, 200_000),
  /** Exports a user may create per rolling hour. */
  perHour: EnvInt(30, 1, 10_000),
});

export interface ExportOptions {
  maxCells: number;
  perHour: number;
  disclosure: DisclosureConfig;
  now?: () => number;
}

/** Reads EXPORT_MAX_CELLS, EXPORT_PER_HOUR and DISCLOSURE_* from the environment, validated. */
export function exportOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ExportOptions {
  const limits = ExportOptionsSchema.safeParse({ maxCells: env.EXPORT_MAX_CELLS, perHour: env.EXPORT_PER_HOUR });
  if (!limits.success) throw new Error(`export limits: ${limits.error.issues[0]!.path.join('.')}: ${limits.error.issues[0]!.message}`);
  const disclosure = DisclosureConfigSchema.safeParse({
    suppressTo: env.DISCLOSURE_SUPPRESS_TO === undefined ? undefined : Number(env.DISCLOSURE_SUPPRESS_TO),
    roundTo: env.DISCLOSURE_ROUND_TO === undefined ? undefined : Number(env.DISCLOSURE_ROUND_TO),
    dsrMinEvents: env.DISCLOSURE_DSR_MIN_EVENTS === undefined ? undefined : Number(env.DISCLOSURE_DSR_MIN_EVENTS),
  });
  if (!disclosure.success) throw new Error(`disclosure config: ${disclosure.error.issues[0]!.path.join('.')}: ${disclosure.error.issues[0]!.message}`);
  return { ...limits.data, disclosure: disclosure.data };
}

/** Per-user sliding window: at most `limit` grants in any `windowMs`. */
export class RateLimiter {
  private readonly grants = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a grant and returns 0, or returns the seconds until one is possible. */
  take(user: string): number {
    const t = this.now();
    const recent = (this.grants.get(user) ?? []).filter((g) => g > t - this.windowMs);
    if (recent.length >= this.limit) {
      this.grants.set(user, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - t) / 1000));
    }
    recent.push(t);
    this.grants.set(user, recent);
    return 0;
  }
}
