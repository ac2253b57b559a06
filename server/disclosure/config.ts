import { z } from 'zod';

/**
 * Disclosure-control thresholds. Defaults are the NHS Digital rules for HES and ECDS outputs
 * below national level (see README.md beside this file); a deployment may tighten them, and the
 * schema refuses settings that would publish small numbers (e.g. a rounding base of 1 with no
 * suppression band).
 */
export const DisclosureConfigSchema = z
  .object({
    /** Smallest count that is suppressed (counts of 0 are true zeros and always shown). */
    suppressFrom: z.int().min(1).default(1),
    /** Largest count that is suppressed: 1-7 for HES/ECDS. */
    suppressTo: z.int().min(1).max(1000).default(7),
    /** Every other count is rounded to the nearest multiple of this. */
    roundTo: z.int().min(1).max(1000).default(5),
    /** Directly standardised rates are not published below this many events (PHE practice). */
    dsrMinEvents: z.int().min(1).default(10),
  })
  .strict()
  .refine((c) => c.suppressFrom <= c.suppressTo, {
    message: 'suppressFrom must not exceed suppressTo',
    path: ['suppressFrom'],
  })
  .refine((c) => c.suppressFrom === 1, {
    // A band that starts above 1 would publish counts of 1, the most identifying of all.
    message: 'suppressFrom must be 1: a count of 1 is never published',
    path: ['suppressFrom'],
  });

export type DisclosureConfig = z.infer<typeof DisclosureConfigSchema>;

export const DEFAULT_DISCLOSURE_CONFIG: DisclosureConfig = DisclosureConfigSchema.parse({});

/** Parses untrusted configuration, throwing an error that names the offending field. */
export function parseDisclosureConfig(input: unknown): DisclosureConfig {
  const result = DisclosureConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`disclosure config: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
