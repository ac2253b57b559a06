import { describe, expect, it } from 'vitest';
import { manifestView } from './manifest-model.ts';

describe('manifest view of a federation', () => {
  const member = (label: string, region: string, patients: number) => ({
    label,
    regions: [region],
    runId: `run-${region}`,
    keyId: 'k1',
    period: { from: '2019-07', to: region === 'wessex' ? '2024-03' : '2024-06' },
    resources: { Patient: { read: patients, loaded: patients, rejected: 0, rejectedByReason: {} } },
    tables: { patients },
    optOut: { listed: 2, matched: 2, allowlisted: patients - 2 },
  });

  it('shows the totals at the top and one section per member, in the order sent', () => {
    const v = manifestView({
      runId: 'run-greater-manchester+run-wessex',
      keyId: 'k1',
      period: { from: '2019-07', to: '2024-03' },
      resources: { Patient: { read: 30, loaded: 30, rejected: 0, rejectedByReason: {} } },
      tables: { patients: 30 },
      members: [member('Greater Manchester', 'greater-manchester', 10), member('Wessex', 'wessex', 20)],
    });
    expect(v.summary).toContainEqual({ label: 'Run', value: 'run-greater-manchester+run-wessex' });
    expect(v.tables).toEqual([{ table: 'patients', rows: 30 }]);
    expect(v.other.map((o) => o.key)).not.toContain('members');
    expect(v.members.map((m) => [m.label, m.regions, m.period?.to])).toEqual([
      ['Greater Manchester', ['greater-manchester'], '2024-06'],
      ['Wessex', ['wessex'], '2024-03'],
    ]);
    const wessex = v.members[1]!.view;
    expect(wessex.summary).toContainEqual({ label: 'Run', value: 'run-wessex' });
    expect(wessex.summary).toContainEqual({ label: 'Data period', value: '2019-07 to 2024-03' });
    expect(wessex.optOut?.share).toBeCloseTo(2 / 20, 12);
    expect(wessex.other).toEqual([]);
    expect(wessex.members).toEqual([]);
  });

  it("reads a researcher's members (counts only, under the disclosure rules) and a single warehouse (no members)", () => {
    const v = manifestView({
      runId: 'a+b',
      counts: { tables: { patients: 30 }, disclosure: 'research rules' },
      members: [{ label: 'Wessex', regions: ['wessex'], runId: 'b', period: { from: '2019-07', to: '2024-06' }, counts: { tables: { patients: 20 }, disclosure: 'research rules' } }],
    });
    expect(v.members[0]!.view.tables).toEqual([{ table: 'patients', rows: 20 }]);
    expect(v.members[0]!.view.disclosure).toBe('research rules');
    expect(manifestView({ runId: 'r1' }).members).toEqual([]);
  });
});
