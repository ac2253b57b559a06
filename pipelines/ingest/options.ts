/**
 * CLI flags to `PipelineOptions`: validated with zod, defaults resolved (key from
 * `LHCRE_KEY_FILE`, opt-out list in the input folder, quarantine beside the warehouse).
 */
import path from 'node:path';
import { z } from 'zod';
import { EXIT_USAGE, PipelineError } from './errors.ts';
import type { PipelineOptions } from './run.ts';

export const KEY_ENV = 'LHCRE_KEY_FILE';
export const OPT_OUT_FILE_NAME = 'national-data-opt-out.txt';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date');

export const CliFlags = z.object({
  input: z.string().min(1),
  warehouse: z.string().min(1),
  keyFile: z.string().min(1).optional(),
  optOut: z.string().min(1).optional(),
  quarantine: z.string().min(1).optional(),
  optOutPolicy: z.enum(['research', 'all']).default('research'),
  threads: z.coerce.number().int().min(1).max(64).default(2),
  memoryLimit: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, "must look like '4GB'")
    .default('4GB'),
  tempDir: z.string().min(1).optional(),
  maxTempSize: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, "must look like '16GB'")
    .default('16GB'),
  asOf: isoDate.optional(),
  force: z.boolean().default(false),
});
export type CliFlags = z.input<typeof CliFlags>;

export function resolveOptions(flags: CliFlags, env: NodeJS.ProcessEnv = process.env, today = new Date()): PipelineOptions {
  const parsed = CliFlags.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new PipelineError(`--${flag} ${issue.message}`, EXIT_USAGE);
  }
  const f = parsed.data;
  const keyFile = f.keyFile ?? env[KEY_ENV];
  if (!keyFile) {
    throw new PipelineError(`no pseudonymisation key: pass --key-file FILE or set ${KEY_ENV} (the pipeline never runs without one)`, EXIT_USAGE);
  }
  const warehouse = path.resolve(f.warehouse);
  return {
    input: path.resolve(f.input),
    warehouse,
    keyFile: path.resolve(keyFile),
    optOut: path.resolve(f.optOut ?? path.join(f.input, OPT_OUT_FILE_NAME)),
    quarantine: path.resolve(f.quarantine ?? `${warehouse}.quarantine`),
    policy: f.optOutPolicy,
    threads: f.threads,
    memoryLimit: f.memoryLimit.replace(/\s+/g, ''),
    tempDir: f.tempDir ? path.resolve(f.tempDir) : undefined,
    maxTempSize: f.maxTempSize.replace(/\s+/g, ''),
    asOf: f.asOf ?? today.toISOString().slice(0, 10),
    force: f.force,
  };
}
