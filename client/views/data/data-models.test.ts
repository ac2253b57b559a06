import { describe, expect, it } from 'vitest';
import { auditQuery, auditRows, readableParams } from './audit-model.ts';
import { fmtTimestamp, newestCompleteMonth, stalenessOf } from './freshness.ts';
import { REJECT_REASONS, fmtShare, rejectsOf } from './reject-reasons.ts';

describe('rejects', () => {
  const resources = [
    { resource: 'Encounter', read: 1000, loaded: 980, rejected: 20, reasons: [{ reason: 'unknown_patient', count: 15 }, { reason: 'brand_new_reason', count: 5 }] },
    { resource: 'Patient', read: 1000, loaded: 995, rejected: 5, reasons: [{ reason: 'invalid_nhs_number', count: null }] },
  ];

  it('gives each reason its share of the records read and a plain description; warns above 1% only', () => {
    const [enc, pat] = rejectsOf(resources);
    expect(enc!.share).toBe(0.02);
    expect(enc!.warn).toBe(true);
    expect(pat!.warn).toBe(false);
    expect(enc!.reasons[0]).toMatchObject({ label: 'Unknown patient', share: 0.015 });
    expect(enc!.reasons[0]!.description).toMatch(/No loaded patient/);
    // An unknown reason keeps its code and says it is not described; a withheld count has no share.
    expect(enc!.reasons[1]).toMatchObject({ label: 'brand_new_reason', share: 0.005 });
    expect(pat!.reasons[0]).toMatchObject({ count: null, share: null });
    expect(rejectsOf(resources, 0.03)[0]!.warn).toBe(false);
  });

  it('describes every reason listed in pipelines/ingest/NOTES.md', () => {
    for (const r of ['line_too_long', 'invalid_json', 'duplicate_id', 'unsupported_gender', 'event_in_future', 'unmapped_service', 'event_after_death', 'missing_code']) {
      expect(REJECT_REASONS[r]?.description, r).toBeTruthy();
    }
  });

  it('prints shares people can read', () => {
    expect([fmtShare(0), fmtShare(0.00003), fmtShare(0.0003), fmtShare(0.012), fmtShare(0.45), fmtShare(null)]).toEqual(['0%', 'under 0.01%', '0.03%', '1.2%', '45%', '–']);
  });
});

describe('staleness', () => {
  it('is up to date with the month before the build, allows one more month, flags two', () => {
    expect(stalenessOf('2024-06', '2024-07-03T10:00:00Z')).toEqual({ monthsBehind: 0, stale: false });
    expect(stalenessOf('2024-06', '2024-08-20T10:00:00Z')).toEqual({ monthsBehind: 1, stale: false });
    expect(stalenessOf('2024-06', '2024-09-01T00:00:00Z')).toEqual({ monthsBehind: 2, stale: true });
    expect(stalenessOf('2024-06', '2026-12-06T22:27:58.677Z')).toEqual({ monthsBehind: 29, stale: true });
    expect(stalenessOf(null, '2024-07-01')).toBeNull();
    expect(newestCompleteMonth('2025-01-15T00:00:00Z')).toBe('2024-12');
    expect(fmtTimestamp('2026-12-06T22:27:58.677Z')).toBe('6 Dec 2026, 22:27 UTC');
  });
});

describe('audit', () => {
  it('reads the filter facets and matched count, and writes only the filters that are set', () => {
    const v = auditRows({ total: 9, matched: 2, facets: { users: ['a', 'b'], endpoints: ['/api/audit'] }, entries: [{ seq: 7, time: '2026-01-02T03:04:05.678Z', user: null, status: 401, outcome: 'denied', params: { region: '', by: ['sex', 'year'] } }] });
    expect([v.total, v.matched, v.facets.users]).toEqual([9, 2, ['a', 'b']]);
    expect(v.rows[0]).toMatchObject({ time: '2026-01-02 03:04:05', user: '(not signed in)', status: '401', paramsText: 'by: sex, year' });
    expect(readableParams({ id: 'x', format: 'csv' })).toBe('id: x; format: csv');
    expect(auditQuery({ user: 'a', endpoint: '', status: '4xx', from: '', to: '2026-01-31' }, 25, 40)).toEqual({ limit: 25, before: 40, user: 'a', endpoint: undefined, status: '4xx', from: undefined, to: '2026-01-31' });
  });
});
