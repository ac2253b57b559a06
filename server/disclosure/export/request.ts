import { z } from 'zod';
import { SERVICE_CODES } from '../../../domain/services.ts';
import { endsBlock, startsBlock } from './blocks.ts';

/** Dimensions a research table may be broken down by: whole published categories only. */
export const EXPORT_DIMENSIONS = ['region', 'stp', 'year', 'month', 'age_band', 'sex', 'imd_decile'] as const;
export type ExportDimension = (typeof EXPORT_DIMENSIONS)[number];

export const MEASURES = ['count', 'patients', 'crude_rate', 'dsr'] as const;
export type Measure = (typeof MEASURES)[number];

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM');

export const ExportRequestSchema = z
  .object({
    service: z.enum(SERVICE_CODES),
    measure: z.enum(MEASURES),
    from: yearMonth,
    to: yearMonth,
    by: z
      .array(z.enum(EXPORT_DIMENSIONS))
      .max(3, 'at most 3 dimensions')
      .refine((dims) => new Set(dims).size === dims.length, 'a dimension may appear only once')
      .default([]),
  })
  .strict();

export type ExportRequest = z.infer<typeof ExportRequestSchema>;

/** A 400 that names the field at fault, in words a researcher can act on. */
export class ExportRequestError extends Error {
  override readonly name = 'ExportRequestError';
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

function firstIssue(error: z.ZodError): ExportRequestError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return new ExportRequestError(key, `unknown field '${key}': the body takes service, measure, from, to and by`);
  }
  const param = issue.path.length ? String(issue.path[0]) : 'body';
  const where = issue.path.length > 1 ? `${issue.path.join('.')}` : param;
  return new ExportRequestError(param, `${where}: ${issue.message}`);
}

/**
 * Validates a POST /api/exports body against the schema and the warehouse period. The
 * returned request is normalised (dimension order kept as given: it is the column order).
 */
export function parseExportRequest(body: unknown, period: { from: string; to: string }): ExportRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ExportRequestError('body', 'the body must be a JSON object like {"service","measure","from","to","by"}');
  }
  const parsed = ExportRequestSchema.safeParse(body);
  if (!parsed.success) throw firstIssue(parsed.error);
  const r = parsed.data;
  if (r.from < period.from || r.from > period.to) {
    throw new ExportRequestError('from', `from must lie in the data period ${period.from} to ${period.to}`);
  }
  if (r.to < period.from || r.to > period.to) {
    throw new ExportRequestError('to', `to must lie in the data period ${period.from} to ${period.to}`);
  }
  if (r.from > r.to) throw new ExportRequestError('to', 'to must not be before from');
  // Whole calendar years only: two windows that differ by a month would difference into that
  // month's count (blocks.ts; server/disclosure/README.md).
  if (!startsBlock(r.from, period)) {
    throw new ExportRequestError('from', `from must start a calendar year (YYYY-01) or the data period (${period.from}): research windows are whole calendar years, so that no two windows can be differenced into a part of a year; use by: ["month"] for monthly figures`);
  }
  if (!endsBlock(r.to, period)) {
    throw new ExportRequestError('to', `to must end a calendar year (YYYY-12) or the data period (${period.to}): research windows are whole calendar years, so that no two windows can be differenced into a part of a year; use by: ["month"] for monthly figures`);
  }
  if (r.measure === 'dsr' && r.by.includes('age_band')) {
    throw new ExportRequestError('by', 'by: age_band cannot be a dimension of a DSR: the rate is standardised over age bands');
  }
  return r;
}
