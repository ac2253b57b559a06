import { ApiError } from '../../lib/api-error.ts';
import type { FieldError } from '../../components/form-errors.ts';
import { EXPORT_DIMENSIONS, EXPORT_MEASURES, MAX_EXPORT_DIMENSIONS, type ExportDimension, type ExportMeasure, type ResearchState } from './research-url.ts';

/** Whether a choice can be made now, and if not, why (shown beside it, before anything is sent). */
export interface Availability {
  disabled: boolean;
  reason: string | null;
}

const OK: Availability = { disabled: false, reason: null };

/**
 * The combinations the server refuses (server/disclosure/export/request.ts), checked in the form so
 * that they cannot be chosen: an age-standardised rate is standardised over age bands, so Age band
 * cannot also be a dimension; month and year together would repeat each year; at most three.
 */
export function dimensionAvailability(s: Pick<ResearchState, 'measure' | 'by'>): Record<ExportDimension, Availability> {
  const out = {} as Record<ExportDimension, Availability>;
  for (const d of EXPORT_DIMENSIONS) {
    const on = s.by.includes(d);
    let reason: string | null = null;
    if (!on && d === 'age_band' && s.measure === 'dsr') reason = 'Not with an age-standardised rate: the rate is already standardised over age bands.';
    else if (!on && d === 'year' && s.by.includes('month')) reason = 'Not with Month: each month already names its year.';
    else if (!on && d === 'month' && s.by.includes('year')) reason = 'Not with Year: untick Year to break down by month.';
    else if (!on && s.by.length >= MAX_EXPORT_DIMENSIONS) reason = `At most ${MAX_EXPORT_DIMENSIONS} dimensions: untick one first.`;
    out[d] = reason ? { disabled: true, reason } : OK;
  }
  return out;
}

export function measureAvailability(s: Pick<ResearchState, 'measure' | 'by'>): Record<ExportMeasure, Availability> {
  const out = {} as Record<ExportMeasure, Availability>;
  for (const m of EXPORT_MEASURES) {
    out[m] = m === 'dsr' && s.by.includes('age_band') && s.measure !== 'dsr' ? { disabled: true, reason: 'Not with Age band as a dimension: the rate is standardised over age bands. Untick Age band to choose it.' } : OK;
  }
  return out;
}

/** The field a server refusal names, as the id of the control to link to and focus. */
export function fieldOfParam(param: string | undefined, s: Pick<ResearchState, 'measure' | 'by'>): string {
  switch (param) {
    case 'service':
      return 'research-service';
    case 'measure':
      return `research-measure-${s.measure}`;
    case 'from':
    case 'to':
      return 'research-period';
    case 'by': {
      const first = s.by[0] ?? EXPORT_DIMENSIONS[0];
      return `research-by-${first}`;
    }
    default:
      return '';
  }
}

/** A failed build as error-summary entries: the server's words, linked to the field it names. */
export function buildErrors(e: Error, s: Pick<ResearchState, 'measure' | 'by'>): FieldError[] {
  const param = e instanceof ApiError ? e.param : undefined;
  return [{ field: fieldOfParam(param, s), text: e.message }];
}
