/** The parts of a federation that need no DuckDB: the served period, summed counts, the combined run. */
import { describe, expect, it } from 'vitest';
import { checkFederation, combineMembers, servedPeriod, sumCounts } from '../../server/store/federation.ts';
import type { MemberInfo } from '../../server/store/info.ts';

const member = (region: string, over: Partial<MemberInfo> = {}): MemberInfo & { realDir: string; columns: Map<string, string> } => ({
  dir: `/wh/${region}`,
  realDir: `/wh/${region}`,
  columns: new Map([['rollups', 'month INT32 DATE']]),
  manifest: { runId: `run-${region}`, forecasts: { status: 'written' } },
  runId: `run-${region}`,
  keyId: 'k1',
  finishedAt: '2024-07-02T00:00:00.000Z',
  counts: null,
  schemaVersion: 1,
  optOutPolicy: 'research',
  tables: ['rollups'],
  regions: [region],
  label: region,
  period: { from: '2019-07', to: '2024-06' },
  ...over,
});

describe('federation without DuckDB', () => {
  it('serves the months every member covers, or refuses when there are none', () => {
    expect(servedPeriod([member('wessex'), member('one-london', { period: { from: '2019-09', to: '2024-03' } })])).toEqual({ from: '2019-09', to: '2024-03' });
    const apart = [member('wessex', { period: { from: '2019-07', to: '2020-12' } }), member('one-london', { period: { from: '2021-01', to: '2024-06' } })];
    expect(servedPeriod(apart)).toBeNull();
    expect(() => checkFederation(apart)).toThrow(/^federation: no month is covered by every warehouse \(\/wh\/wessex: 2019-07 to 2020-12; \/wh\/one-london: 2021-01 to 2024-06\)$/);
    expect(() => checkFederation([member('wessex'), member('mars')])).toThrow('federation: /wh/mars holds an unknown region "mars"');
    expect(() => checkFederation([member('wessex'), member('one-london')])).not.toThrow();
  });

  it('sums counts key by key: a reason seen in one member only is kept, text kept only when every member agrees', () => {
    expect(sumCounts([
      { resources: { Encounter: { read: 10, rejectedByReason: { bad_date: 2 } } }, policy: 'research' },
      { resources: { Encounter: { read: 5, rejectedByReason: { unknown_patient: 1 } } }, policy: 'research' },
      null,
    ])).toEqual({ resources: { Encounter: { read: 15, rejectedByReason: { bad_date: 2, unknown_patient: 1 } } }, policy: 'research' });
    expect(sumCounts([{ a: 'x', n: 1 }, { a: 'y', n: 2 }])).toEqual({ n: 3 });
    expect(sumCounts([null, undefined])).toBeUndefined();
  });

  it('names every member run, keeps a key id only when all members share it, and finishes with the last member', () => {
    const c = combineMembers(
      [member('greater-manchester'), member('wessex', { keyId: 'k2', finishedAt: '2024-07-09T00:00:00.000Z', manifest: { runId: 'run-wessex', forecasts: { status: 'failed' } } })],
      { from: '2019-07', to: '2024-06' },
      { rows: 10, series: 2 },
    );
    expect(c.runId).toBe('run-greater-manchester+run-wessex');
    expect(c.keyId).toBeNull();
    expect(c.finishedAt).toBe('2024-07-09T00:00:00.000Z');
    expect(c.manifest.forecasts).toEqual({ status: 'partial', series: 2, rows: 10 });
    expect((c.manifest.members as { label: string }[]).map((m) => m.label)).toEqual(['greater-manchester', 'wessex']);
    expect(combineMembers([member('wessex'), member('one-london')], { from: '2019-07', to: '2024-06' }, null).keyId).toBe('k1');
  });
});
