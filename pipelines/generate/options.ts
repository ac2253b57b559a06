/** The generator's command-line flags, validated (zod) into GenerateOptions. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { formatYearMonth, monthIndex, parseYearMonth } from './calendar.ts';
import type { GenerateOptions } from './generate-record.ts';

export const DEFAULT_PATIENTS = 5000;
export const DEFAULT_FROM = '2019-07';
export const DEFAULT_TO = '2024-06';

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');
const wholeNumber = (name: string) =>
  z.string().regex(/^\d+$/, `${name} must be a whole number`).transform(Number).pipe(z.number().int().safe());

export const cliFlagsSchema = z
  .object({
    out: z.string().min(1, '--out is required'),
    patients: wholeNumber('--patients').pipe(z.number().min(1, '--patients must be at least 1').max(90_000_000, '--patients must be at most 90,000,000')).optional(),
    scale: z.string().regex(/^(\d+(\.\d*)?|\.\d+)([eE]-?\d+)?$/, '--scale must be a number').transform(Number)
      .pipe(z.number().gt(0, '--scale must be above 0').max(1, '--scale must be at most 1 (the whole population)')).optional(),
    seed: wholeNumber('--seed').pipe(z.number().max(0xffffffff, '--seed must be below 2^32')).default(1),
    from: yearMonth.default(DEFAULT_FROM),
    to: yearMonth.default(DEFAULT_TO),
    gzip: z.boolean().default(true),
    conditions: z.boolean().default(false),
    overwrite: z.boolean().default(false),
    patientsPerShard: wholeNumber('--patients-per-shard').pipe(z.number().min(100, '--patients-per-shard must be at least 100').max(1_000_000, '--patients-per-shard must be at most 1,000,000')).optional(),
    workers: wholeNumber('--workers').pipe(z.number().min(1, '--workers must be at least 1').max(64, '--workers must be at most 64')).optional(),
  })
  .strict()
  .refine((f) => f.patients === undefined || f.scale === undefined, { message: 'give --patients or --scale, not both' })
  .refine((f) => f.from <= f.to, { message: '--from must not be after --to' })
  .refine((f) => f.from >= '2000-01', { message: '--from must be 2000-01 or later' });

export type CliFlags = z.input<typeof cliFlagsSchema>;

/** `now` is passed in so that "no events in the future" is testable without the real clock. */
export function toGenerateOptions(raw: unknown, now: Date): GenerateOptions {
  const flags = cliFlagsSchema.parse(raw);
  const toMonth = parseYearMonth(flags.to);
  const currentMonth = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1);
  if (toMonth >= currentMonth) throw new z.ZodError([{ code: 'custom', path: ['to'], message: `--to must be before the current month (${formatYearMonth(currentMonth)}): no events in the future`, input: flags.to }]);
  return {
    out: flags.out,
    size: flags.scale !== undefined ? { scale: flags.scale } : { patients: flags.patients ?? DEFAULT_PATIENTS },
    seed: flags.seed,
    fromMonth: parseYearMonth(flags.from),
    toMonth,
    gzip: flags.gzip,
    conditions: flags.conditions,
    overwrite: flags.overwrite,
    workers: flags.workers ?? Math.min(2, availableParallelism()),
    ...(flags.patientsPerShard ? { patientsPerShard: flags.patientsPerShard } : {}),
  };
}

/** One line for a person, from the first validation problem. */
export function describeFlagError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid options';
  if (issue.code === 'unrecognized_keys') return `unknown option ${issue.keys.join(', ')}`;
  return issue.message;
}
