import { describe, expect, it } from 'vitest';
import { manifestView } from './manifest-model.ts';
import { auditRows } from './audit-model.ts';

describe('manifest view', () => {
  const manifest = {
    runId: 'r1',
    keyId: 'k1',
    optOutPolicy: 'research',
    period: { from: '2019-07', to: '2024-06' },
    inputs: [{ file: 'Patient.000.ndjson.gz', resourceType: 'Patient', bytes: 10, lines: 3, sha256: 'ab'.repeat(32) }],
    resources: { Encounter: { read: 10, loaded: 7, rejected: 3, rejectedByReason: { 'unknown service': 1, 'bad date': 2 } } },
    tables: { patients: 200, events: 7 },
    optOut: { listed: 12, matched: 10, allowlisted: 190 },
    timingsSeconds: { read: 1.5 },
    somethingNew: { a: 1 },
  };

  it('shows counts by reason, most common first, and the opt-out share of patients', () => {
    const v = manifestView(manifest);
    expect(v.resources[0]!.reasons).toEqual([
      { reason: 'bad date', count: 2 },
      { reason: 'unknown service', count: 1 },
    ]);
    // 10 of 200 patients are not on the allow-list.
    expect(v.optOut?.share).toBe(0.05);
    expect(v.summary).toContainEqual({ label: 'Key id', value: 'k1' });
    expect(v.other).toContainEqual({ key: 'somethingNew.a', value: '1' });
  });

  it("handles a researcher's counts-only manifest", () => {
    const v = manifestView({ runId: 'r1', finishedAt: 't', counts: { patients: { loaded: 5 } } });
    expect(v.resources).toEqual([]);
    expect(v.other).toContainEqual({ key: 'counts.patients.loaded', value: '5' });
  });

  it("reads a researcher's disclosure-controlled counts: rounded, with withheld counts kept as withheld", () => {
    const v = manifestView({
      runId: 'r1',
      counts: {
        resources: { Encounter: { read: 263890, loaded: 263885, rejected: null, rejectedByReason: { bad_date: null, unknown_patient: 10 } } },
        tables: { patients: 6000, research_allowlist: 5715 },
        optOut: { listed: 285, matched: 285, allowlisted: 5715 },
        disclosure: 'research rules: counts of 1-7 are null (suppressed), others rounded to the nearest 5',
      },
    });
    expect(v.disclosure).toMatch(/1-7/);
    expect(v.resources).toEqual([{ resource: 'Encounter', read: 263890, loaded: 263885, rejected: null, reasons: [{ reason: 'unknown_patient', count: 10 }, { reason: 'bad_date', count: null }] }]);
    expect(v.optOut?.share).toBeCloseTo(285 / 6000, 12);
    expect(v.tables).toContainEqual({ table: 'patients', rows: 6000 });
  });

  it('reads audit entries and the chain status', () => {
    const a = auditRows({ chain: { ok: true, entries: 2 }, total: 2, entries: [{ seq: 2, user: 'u', role: 'researcher', method: 'POST', endpoint: '/api/exports', params: { by: ['sex'] }, status: 201, outcome: 'ok', rows: 4, suppressed: { primary: 1, secondary: 2 } }] });
    expect(a.chain).toEqual({ ok: true, detail: '2 entries verified' });
    expect(a.rows[0]).toMatchObject({ endpoint: 'POST /api/exports', suppressed: '1 + 2', outcome: 'ok (201)', params: '{"by":["sex"]}' });
  });
});
