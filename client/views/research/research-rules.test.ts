import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-error.ts';
import { buildErrors, dimensionAvailability, measureAvailability } from './research-rules.ts';
import { parseResearch } from './research-url.ts';
import { previewOf } from './preview-cells.ts';
import { exportFilename } from './research-state.svelte.ts';

describe('research form rules', () => {
  it('an age-standardised rate disables Age band, with the reason, and Age band disables the DSR', () => {
    const a = dimensionAvailability({ measure: 'dsr', by: ['region'] });
    expect(a.age_band).toEqual({ disabled: true, reason: expect.stringMatching(/standardised over age bands/) });
    expect(a.sex.disabled).toBe(false);
    expect(measureAvailability({ measure: 'count', by: ['age_band'] }).dsr).toEqual({ disabled: true, reason: expect.stringMatching(/Untick Age band/) });
    expect(measureAvailability({ measure: 'count', by: ['region'] }).dsr.disabled).toBe(false);
  });

  it('month and year exclude each other, and a fourth dimension is unavailable', () => {
    expect(dimensionAvailability({ measure: 'count', by: ['month'] }).year.disabled).toBe(true);
    expect(dimensionAvailability({ measure: 'count', by: ['year'] }).month.disabled).toBe(true);
    const full = dimensionAvailability({ measure: 'count', by: ['region', 'sex', 'year'] });
    expect(full.stp.reason).toMatch(/At most 3/);
    expect(full.region.disabled).toBe(false);
  });

  it('a link asking for a DSR by age band drops age band (the server would refuse it)', () => {
    const s = parseResearch(new URLSearchParams('measure=dsr&by=region,age_band'), { from: '2024-01', to: '2024-06' });
    expect(s.by).toEqual(['region']);
  });

  it("a refusal becomes an error-summary entry linked to the field the server named", () => {
    const e = new ApiError({ status: 413, title: 'Too large', detail: 'The table would have 30,000 rows', path: '/api/exports', param: 'by' });
    expect(buildErrors(e, { measure: 'count', by: ['stp', 'month'] })).toEqual([{ field: 'research-by-stp', text: 'The table would have 30,000 rows' }]);
    expect(buildErrors(new Error('offline'), { measure: 'count', by: [] })).toEqual([{ field: '', text: 'offline' }]);
  });

  it('the preview shows headers and categories in words, and file names say what is in them', () => {
    const p = previewOf({ preamble: [], columns: ['region', 'count', 'person_years', 'lo95', 'count_suppressed'], rows: [['greater-manchester', '45', '1000', '1.2', 'false']] }, ['region']);
    expect(p.headers).toEqual(['Region', 'Count', 'Person-years', '95% CI lower']);
    expect(p.rows[0]![0]!.text).toBe('Greater Manchester');
    const s = { service: 'emergency_admission' as const, measure: 'crude_rate' as const, from: '2020-01', to: '2021-12', by: ['region' as const, 'age_band' as const] };
    expect(exportFilename(s, 'csv')).toBe('research-emergency-admission-crude-rate-by-region-age-band-2020-2021.csv');
    expect(exportFilename({ ...s, from: '2024-01', to: '2024-06', by: [] }, 'metadata-md')).toBe('research-emergency-admission-crude-rate-total-2024-metadata.md');
  });
});
