import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, openAuditLog, verifyAuditChain, type AuditEvent, type FileAuditLog } from '../../server/audit/index.ts';

let dir: string;
let log: FileAuditLog;
const file = () => path.join(dir, 'audit', 'audit.jsonl');
const head = () => path.join(dir, 'audit', 'head.json');
const lines = () => readFileSync(file(), 'utf8').split('\n').filter(Boolean);

function event(i: number): AuditEvent {
  return {
    user: `user${i % 3}`,
    role: 'researcher',
    method: 'POST',
    endpoint: '/api/exports',
    params: { service: 'ae_attendance', by: ['sex'], from: '2019-01', to: '2019-12' },
    status: 201,
    outcome: 'ok',
    rows: 3,
    suppressed: { primary: i, secondary: 1 },
    time: `2021-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lhcre-audit-'));
  log = await openAuditLog(dir);
  for (let i = 1; i <= 5; i++) await log.append(event(i));
});
afterEach(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ n: 10n, x: Number.NaN })).toBe('{"n":"10","x":null}');
  });
});

describe('audit hash chain', () => {
  it('links each entry to the previous one with sha256(prevHash + canonical entry)', async () => {
    const entries = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    const { hash, ...body } = entries[2]!;
    expect(entryHash(body as never)).toBe(hash);
    expect(await verifyAuditChain(file(), head())).toEqual({ ok: true, entries: 5, headHash: entries[4]!.hash });
  });

  it('detects an edited entry', async () => {
    const l = lines();
    l[2] = l[2]!.replace('"rows":3', '"rows":300');
    writeFileSync(file(), l.join('\n') + '\n');
    const status = await verifyAuditChain(file(), head());
    expect(status.ok).toBe(false);
    expect(status.problem).toEqual({ line: 3, reason: expect.stringContaining('altered') });
    expect(status.entries).toBe(2);
  });

  it('detects an edit that also recomputes the entry hash (the next link breaks)', async () => {
    const l = lines();
    const e = JSON.parse(l[1]!) as Record<string, unknown>;
    e.user = 'someone-else';
    e.hash = entryHash(e as never);
    l[1] = JSON.stringify(e);
    writeFileSync(file(), l.join('\n') + '\n');
    const status = await verifyAuditChain(file(), head());
    expect(status.problem?.line).toBe(3);
    expect(status.problem?.reason).toMatch(/prevHash/);
  });

  it('detects a deleted entry in the middle', async () => {
    const l = lines();
    l.splice(1, 1);
    writeFileSync(file(), l.join('\n') + '\n');
    const status = await verifyAuditChain(file(), head());
    expect(status.ok).toBe(false);
    expect(status.problem).toEqual({ line: 2, reason: expect.stringContaining('seq 3 where 2') });
  });

  it('detects deleted entries at the end through the head record', async () => {
    writeFileSync(file(), lines().slice(0, 3).join('\n') + '\n');
    const status = await verifyAuditChain(file(), head());
    expect(status.ok).toBe(false);
    expect(status.problem?.reason).toMatch(/ends at entry 3 but the head record says 5/);
  });

  it('accepts a head record one entry behind (killed between appending and writing the head), and nothing more', async () => {
    const entries = lines().map((l) => JSON.parse(l) as { seq: number; hash: string });
    writeFileSync(head(), JSON.stringify({ seq: 4, hash: entries[3]!.hash }));
    const lagging = await verifyAuditChain(file(), head());
    expect(lagging).toMatchObject({ ok: true, entries: 5, headHash: entries[4]!.hash });
    expect(lagging.note).toMatch(/one entry behind/);
    // Two behind is not an interrupted append.
    writeFileSync(head(), JSON.stringify({ seq: 3, hash: entries[2]!.hash }));
    expect(await verifyAuditChain(file(), head())).toMatchObject({ ok: false, problem: { reason: expect.stringMatching(/does not match/) } });
    // One behind with a hash that is not the previous entry's.
    writeFileSync(head(), JSON.stringify({ seq: 4, hash: entries[2]!.hash }));
    expect((await verifyAuditChain(file(), head())).ok).toBe(false);
    // The next append brings the head up to date.
    writeFileSync(head(), JSON.stringify({ seq: 4, hash: entries[3]!.hash }));
    await log.close();
    log = await openAuditLog(dir);
    expect(log.statusAtOpen.ok).toBe(true);
    await log.append(event(6));
    expect(await log.verify()).toEqual({ ok: true, entries: 6, headHash: expect.any(String), anchors: expect.any(Number) });
  });

  it('detects reordered entries', async () => {
    const l = lines();
    [l[1], l[2]] = [l[2]!, l[1]!];
    writeFileSync(file(), l.join('\n') + '\n');
    expect((await verifyAuditChain(file(), head())).problem?.line).toBe(2);
  });

  it('keeps the chain intact under concurrent appends and across reopening', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(event(10 + (i % 50)))));
    await log.close();
    log = await openAuditLog(dir);
    expect(log.statusAtOpen.ok).toBe(true);
    await log.append(event(59));
    const status = await log.verify();
    expect(status).toMatchObject({ ok: true, entries: 46 });
    const { entries, total } = await log.read({ limit: 2 });
    expect(total).toBe(46);
    expect(entries.map((e) => e.seq)).toEqual([46, 45]);
    expect((await log.read({ limit: 3, before: 3 })).entries.map((e) => e.seq)).toEqual([2, 1]);
  });
});
