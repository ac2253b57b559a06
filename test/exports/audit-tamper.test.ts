/**
 * The audit tamper table (server/audit/README.md): every way of editing, deleting, truncating,
 * reordering, forging or duplicating entries that the table lists, performed on a real log
 * written by the real audit code (FileAuditLog, its head record and anchor file), with the
 * verdict of the same check `npm run audit:verify` runs. Rows marked "not caught" assert that
 * verify passes: they are the limits the README states, kept honest by a test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultAnchorFile,
  entryHash,
  GENESIS_HASH,
  headsFromServerLog,
  openAuditLog,
  verifyStateDir,
  type AuditEntry,
  type AuditEvent,
  type ChainStatus,
  type FileAuditLog,
  type VerifyOptions,
} from '../../server/audit/index.ts';
import { REPO_ROOT } from '../../server/start.ts';
import { tempDir } from '../server/helpers.ts';
import { LogLines } from './audit-fixture.ts';

function event(i: number): AuditEvent {
  return {
    user: `user${i}`,
    role: 'researcher',
    method: 'POST',
    endpoint: '/api/exports',
    params: { service: 'ae_attendance', measure: 'count', by: ['sex'], from: '2019-01', to: '2019-12' },
    status: 201,
    outcome: 'ok',
    rows: 3,
    suppressed: { primary: i, secondary: 1 },
    exportId: `00000000-0000-4000-8000-00000000000${i}`,
  };
}

interface Scenario {
  stateDir: string;
  anchorFile: string;
  logFile: string;
  headFile: string;
  /** The server's pino output (its head records). */
  serverLog: LogLines;
  /** Open when the scenario ended in a crash (or is still running). */
  open: FileAuditLog | null;
}
const scenarios: Scenario[] = [];
afterEach(async () => {
  for (const s of scenarios.splice(0)) {
    await s.open?.close();
    rmSync(s.stateDir, { recursive: true, force: true });
  }
});

/**
 * Six entries written by the server code in two runs: run 1 appends 1-3 and shuts down cleanly
 * (anchors: start 0, close 3); run 2 starts (anchor: start 3) and appends 4-6, then either shuts
 * down cleanly (anchor: close 6) or crashes (no anchor after start 3: entries 4-6 are after the
 * last anchor) or keeps running. No periodic anchors (interval 0), so the anchor file is exact.
 */
async function writeLog(end: 'clean' | 'crash' | 'running'): Promise<Scenario> {
  const stateDir = tempDir('lhcre-tamper-');
  const serverLog = new LogLines();
  const logger = pino({ level: 'info' }, serverLog);
  const s: Scenario = {
    stateDir,
    anchorFile: defaultAnchorFile(stateDir),
    logFile: path.join(stateDir, 'audit', 'audit.jsonl'),
    headFile: path.join(stateDir, 'audit', 'head.json'),
    serverLog,
    open: null,
  };
  scenarios.push(s);
  const run1 = await openAuditLog(stateDir, { headIntervalMs: 0, logger });
  for (let i = 1; i <= 3; i++) await run1.append(event(i));
  await run1.close();
  const run2 = await openAuditLog(stateDir, { headIntervalMs: 0, logger });
  for (let i = 4; i <= 6; i++) await run2.append(event(i));
  await run2.flush();
  if (end === 'clean') await run2.close();
  else s.open = run2;
  return s;
}

const lines = (s: Scenario) => readFileSync(s.logFile, 'utf8').split('\n').slice(0, -1);
const writeLines = (s: Scenario, ls: string[]) => writeFileSync(s.logFile, ls.map((l) => `${l}\n`).join(''));
const entries = (s: Scenario) => lines(s).map((l) => JSON.parse(l) as AuditEntry);
const writeHead = (s: Scenario, e: { seq: number; hash: string }) => writeFileSync(s.headFile, JSON.stringify({ seq: e.seq, hash: e.hash }));
const seal = (e: Omit<AuditEntry, 'hash'>): AuditEntry => ({ ...e, hash: entryHash(e) });

/** Re-links entries from index `from` on, as someone who knows the scheme would. */
function rechain(es: AuditEntry[], from: number): AuditEntry[] {
  const out = es.slice(0, from);
  for (let i = from; i < es.length; i++) {
    const { hash: _old, ...body } = es[i]!;
    out.push(seal({ ...body, seq: i + 1, prevHash: i === 0 ? GENESIS_HASH : out[i - 1]!.hash }));
  }
  return out;
}
const writeEntries = (s: Scenario, es: AuditEntry[]) => writeLines(s, es.map((e) => JSON.stringify(e)));

/** A forged seventh entry, correctly chained onto the real sixth. */
function forged(s: Scenario): AuditEntry {
  const last = entries(s).at(-1)!;
  const { hash: _h, prevHash: _p, seq: _s, time: _t, ...fields } = last;
  return seal({ ...fields, user: 'mallory', exportId: undefined, seq: last.seq + 1, time: '2026-01-01T00:00:00.000Z', prevHash: last.hash });
}

/** Appends a forged, correctly chained entry and points head.json at it, as a forger would. */
function appendForged(s: Scenario): void {
  const f = forged(s);
  writeLines(s, [...lines(s), JSON.stringify(f)]);
  writeHead(s, f);
}

const verdict = (s: Scenario, o: VerifyOptions = {}): Promise<ChainStatus> => verifyStateDir(s.stateDir, o);
const caught = (status: ChainStatus, reason: RegExp, line?: number) => {
  expect(status.ok, JSON.stringify(status)).toBe(false);
  expect(status.problem!.reason).toMatch(reason);
  if (line !== undefined) expect(status.problem!.line).toBe(line);
};
const notCaught = (status: ChainStatus) => expect(status, JSON.stringify(status)).toMatchObject({ ok: true });

describe('the untouched log', () => {
  it('passes, with its head, head.json and every anchor agreeing (clean shutdown and crash)', async () => {
    const clean = await writeLog('clean');
    expect(await verdict(clean)).toEqual({ ok: true, entries: 6, headHash: entries(clean)[5]!.hash, anchors: 4 });
    const anchors = readFileSync(clean.anchorFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; event: string });
    expect(anchors.map((a) => [a.event, a.seq])).toEqual([['start', 0], ['close', 3], ['start', 3], ['close', 6]]);
    expect(await verdict(await writeLog('crash'))).toMatchObject({ ok: true, entries: 6, anchors: 3 });
  });
});

describe('audit tamper table', () => {
  it('1. edit a field: caught (the entry hash)', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    l[2] = l[2]!.replace('"rows":3', '"rows":300');
    writeLines(s, l);
    caught(await verdict(s), /hash does not match the entry content/, 3);
  });

  it('2. edit a field and recompute its hash: caught (the next prevHash)', async () => {
    const s = await writeLog('clean');
    const es = entries(s);
    const { hash: _h, ...body } = es[1]!;
    es[1] = seal({ ...body, user: 'someone-else' });
    writeEntries(s, es);
    caught(await verdict(s), /prevHash does not match/, 3);
  });

  it('3. edit the last entry and recompute its hash: caught (head.json)', async () => {
    const s = await writeLog('clean');
    const es = entries(s);
    const { hash: _h, ...body } = es[5]!;
    es[5] = seal({ ...body, rows: 999 });
    writeEntries(s, es);
    caught(await verdict(s), /head record \(entry 6\) does not match/);
  });

  it('4. edit the last entry, recompute its hash and head.json, after a clean shutdown: caught (the close anchor)', async () => {
    const s = await writeLog('clean');
    const es = entries(s);
    const { hash: _h, ...body } = es[5]!;
    es[5] = seal({ ...body, rows: 999 });
    writeEntries(s, es);
    writeHead(s, es[5]!);
    caught(await verdict(s), /hash of entry 6 \(anchored .* close.*\) differs .*rewritten/, 6);
  });

  it('5. the same after a crash, the entry being after the last anchor: NOT caught', async () => {
    const s = await writeLog('crash');
    const es = entries(s);
    const { hash: _h, ...body } = es[5]!;
    es[5] = seal({ ...body, rows: 999 });
    writeEntries(s, es);
    writeHead(s, es[5]!);
    notCaught(await verdict(s));
  });

  it('6. delete a middle entry: caught (seq)', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    l.splice(2, 1);
    writeLines(s, l);
    caught(await verdict(s), /seq 4 where 3 was expected/, 3);
  });

  it('7. delete the last 2 entries: caught (head.json)', async () => {
    const s = await writeLog('clean');
    writeLines(s, lines(s).slice(0, 4));
    caught(await verdict(s), /ends at entry 4 but the head record says 6/);
  });

  it('8. delete the last 2 entries and rewrite head.json, after a clean shutdown: caught (the close anchor)', async () => {
    const s = await writeLog('clean');
    writeLines(s, lines(s).slice(0, 4));
    writeHead(s, entries(s)[3]!);
    caught(await verdict(s), /log ends at entry 4 but entry 6 \(anchored .*close.*\) was recorded: the log was truncated/);
  });

  it('9. the same after a crash, the deleted entries being after the last anchor: NOT caught', async () => {
    const s = await writeLog('crash');
    writeLines(s, lines(s).slice(0, 4));
    writeHead(s, entries(s)[3]!);
    notCaught(await verdict(s));
  });

  it('10. delete entries back past the last anchor (to entry 2) and rewrite head.json, after a crash: caught', async () => {
    const s = await writeLog('crash');
    writeLines(s, lines(s).slice(0, 2));
    writeHead(s, entries(s)[1]!);
    caught(await verdict(s), /log ends at entry 2 but entry 3 .* was recorded/);
  });

  it('11. delete the whole log (audit.jsonl and head.json): caught (the anchors)', async () => {
    const s = await writeLog('clean');
    rmSync(path.dirname(s.logFile), { recursive: true });
    caught(await verdict(s), /log ends at entry 0 but entry 3 .* was recorded/);
    // And a server started on the empty folder does not make it pass: its start anchor goes backwards.
    const again = await openAuditLog(s.stateDir, { headIntervalMs: 0 });
    expect(again.statusAtOpen.ok).toBe(false);
    await again.append(event(1));
    await again.close();
    caught(await verdict(s), /log (went backwards|ends at entry 1)|differs/);
  });

  it('12. truncate mid-line: caught (incomplete last line)', async () => {
    const s = await writeLog('clean');
    const text = readFileSync(s.logFile, 'utf8');
    writeFileSync(s.logFile, text.slice(0, text.length - 40));
    caught(await verdict(s), /last line is incomplete/, 6);
  });

  it('13. truncate only the final newline: caught (incomplete last line)', async () => {
    const s = await writeLog('clean');
    const text = readFileSync(s.logFile, 'utf8');
    writeFileSync(s.logFile, text.slice(0, -1));
    caught(await verdict(s), /last line is incomplete/, 6);
  });

  it('14. reorder two entries: caught (seq)', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    [l[2], l[3]] = [l[3]!, l[2]!];
    writeLines(s, l);
    caught(await verdict(s), /seq 4 where 3 was expected/, 3);
  });

  it('15. duplicate an entry (the same line twice): caught (seq)', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    l.splice(3, 0, l[3]!);
    writeLines(s, l);
    caught(await verdict(s), /seq 4 where 5 was expected/, 5);
  });

  it('16. append a forged entry with a correct chain and head.json, after a clean shutdown: caught (entries after the close anchor)', async () => {
    const s = await writeLog('clean');
    appendForged(s);
    caught(await verdict(s), /server closed at entry 6 .* but the log now ends at entry 7: entries were appended while no server was running/);
  });

  it('17. the same, then the server starts again: still caught (its start anchor is not the close anchor)', async () => {
    const s = await writeLog('clean');
    appendForged(s);
    const serverLog = new LogLines();
    const again = await openAuditLog(s.stateDir, { headIntervalMs: 0, logger: pino({ level: 'info' }, serverLog) });
    // The server says so in its log at start.
    expect(serverLog.lines.some((l) => l.level === 50 && /audit log check failed at start: .*appended while no server was running/.test(String(l.msg)))).toBe(true);
    await again.append(event(8));
    await again.close();
    caught(await verdict(s), /server closed at entry 6 .* but started again at entry 7/);
  });

  it('18. append a forged entry with a correct chain while the server runs: caught once the server appends (seq)', async () => {
    const s = await writeLog('running');
    appendForged(s);
    await s.open!.append(event(7));
    caught(await verdict(s), /seq 7 where 8 was expected/, 8);
  });

  it('19. append a forged entry with a correct chain and head.json after a crash (no anchor after it): NOT caught', async () => {
    const s = await writeLog('crash');
    appendForged(s);
    notCaught(await verdict(s));
  });

  it('20. append an entry without the chain (prevHash of another entry): caught (prevHash)', async () => {
    const s = await writeLog('clean');
    const es = entries(s);
    const { hash: _h, ...body } = es[5]!;
    const f = seal({ ...body, seq: 7, user: 'mallory', prevHash: es[4]!.hash });
    writeLines(s, [...lines(s), JSON.stringify(f)]);
    writeHead(s, f);
    caught(await verdict(s), /prevHash does not match/, 7);
  });

  it('21. append an entry with a wrong hash: caught (hash)', async () => {
    const s = await writeLog('clean');
    const f = { ...forged(s), hash: 'f'.repeat(64) };
    writeLines(s, [...lines(s), JSON.stringify(f)]);
    writeHead(s, f);
    caught(await verdict(s), /hash does not match the entry content/, 7);
  });

  it('22. a duplicate JSON key (a second "user" first: JSON.parse keeps the real one, so the hash still holds): caught', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    l[1] = l[1]!.replace(/^\{/, '{"user":"mallory",');
    writeLines(s, l);
    // Without the duplicate-key check this line verifies: JSON.parse sees the original entry.
    const parsed = JSON.parse(l[1]) as AuditEntry;
    expect(parsed.user).toBe('user2');
    expect(entryHash(parsed)).toBe(parsed.hash);
    caught(await verdict(s), /duplicate key "user"/, 2);
  });

  it('23. a duplicate key written with an escape ("\\u0075ser" is "user"): caught', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    l[4] = l[4]!.replace(/^\{/, '{"\\u0075ser":"mallory",');
    writeLines(s, l);
    caught(await verdict(s), /duplicate key "user"/, 5);
  });

  it('24. replace head.json with another entry\'s head: caught', async () => {
    const s = await writeLog('clean');
    writeHead(s, entries(s)[2]!);
    caught(await verdict(s), /head record \(entry 3\) does not match/);
  });

  it('25. replace head.json with the previous entry\'s head: NOT a break (it is what an interrupted append leaves), with a note', async () => {
    const s = await writeLog('clean');
    writeHead(s, entries(s)[4]!);
    const status = await verdict(s);
    notCaught(status);
    expect(status.note).toMatch(/one entry behind/);
  });

  it('26. delete head.json: caught', async () => {
    const s = await writeLog('clean');
    rmSync(s.headFile);
    caught(await verdict(s), /head record is missing/);
  });

  it('27. rewrite the whole chain consistently (every hash and head.json), anchor file untouched: caught (the anchors)', async () => {
    const s = await writeLog('clean');
    const es = entries(s);
    es[1] = { ...es[1]!, user: 'someone-else' };
    const re = rechain(es, 1);
    writeEntries(s, re);
    writeHead(s, re[5]!);
    caught(await verdict(s), /hash of entry 3 .* differs from the log's: the log was rewritten/, 3);
  });

  it('28. rewrite the whole chain consistently and the anchor file to match: NOT caught from the state folder', async () => {
    const s = await writeLog('clean');
    const es = entries(s);
    es[1] = { ...es[1]!, user: 'someone-else' };
    const re = rechain(es, 1);
    writeEntries(s, re);
    writeHead(s, re[5]!);
    const anchors = readFileSync(s.anchorFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string });
    writeFileSync(s.anchorFile, anchors.map((a) => JSON.stringify({ ...a, hash: a.seq === 0 ? GENESIS_HASH : re[a.seq - 1]!.hash }) + '\n').join(''));
    notCaught(await verdict(s));
  });

  it("29. ... but caught against the heads in the server's pino log (--server-log) or one noted elsewhere (--expect-head)", async () => {
    const s = await writeLog('clean');
    const original = entries(s);
    const es = entries(s);
    es[1] = { ...es[1]!, user: 'someone-else' };
    const re = rechain(es, 1);
    writeEntries(s, re);
    writeHead(s, re[5]!);
    const anchors = readFileSync(s.anchorFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string });
    writeFileSync(s.anchorFile, anchors.map((a) => JSON.stringify({ ...a, hash: a.seq === 0 ? GENESIS_HASH : re[a.seq - 1]!.hash }) + '\n').join(''));
    const pinoText = s.serverLog.lines.map((l) => JSON.stringify(l)).join('\n');
    const heads = headsFromServerLog(pinoText, 'the server log');
    expect(heads.map((h) => h.seq)).toEqual([0, 3, 3, 6]);
    caught(await verdict(s, { externalHeads: heads }), /hash of entry 3 differs from the one the server log recorded/);
    caught(await verdict(s, { externalHeads: [{ seq: 6, hash: original[5]!.hash, source: '--expect-head 6' }] }), /entry 6 differs from the one --expect-head 6 recorded/);
  });

  it('30. delete the anchor file kept in the state folder, then truncate the log and head.json: NOT caught (a note says there is no anchor file)', async () => {
    const s = await writeLog('clean');
    rmSync(s.anchorFile);
    writeLines(s, lines(s).slice(0, 4));
    writeHead(s, entries(s)[3]!);
    const status = await verdict(s);
    notCaught(status);
    expect(status.note).toMatch(/no anchor file/);
  });

  it('31. delete an anchor file named with --audit-anchor (kept elsewhere): caught', async () => {
    const s = await writeLog('clean');
    const elsewhere = path.join(tempDir('lhcre-anchor-elsewhere-'), 'anchors.jsonl');
    writeFileSync(elsewhere, readFileSync(s.anchorFile));
    expect((await verdict(s, { anchorFile: elsewhere, requireAnchorFile: true })).ok).toBe(true);
    rmSync(elsewhere);
    caught(await verdict(s, { anchorFile: elsewhere, requireAnchorFile: true }), /anchor file .* does not exist/);
  });

  it('32. cut the anchor file mid-line: caught', async () => {
    const s = await writeLog('clean');
    const text = readFileSync(s.anchorFile, 'utf8');
    writeFileSync(s.anchorFile, text.slice(0, -20));
    caught(await verdict(s), /anchor file .* line 4 is incomplete/);
  });

  it('33. reformat an entry (key order, spaces) without changing any value: not a change, passes', async () => {
    const s = await writeLog('clean');
    const l = lines(s);
    const e = JSON.parse(l[2]!) as Record<string, unknown>;
    l[2] = JSON.stringify(Object.fromEntries(Object.entries(e).reverse()), null, 0).replace(/,/g, ', ');
    writeLines(s, l);
    notCaught(await verdict(s));
  });
});

describe('npm run audit:verify', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/audit/verify-cli.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, AUDIT_ANCHOR_FILE: '' } });

  it('exit 0 on an intact log, 1 naming the problem on a truncated or duplicate-key log, 2 when it cannot check', async () => {
    const s = await writeLog('clean');
    const ok = cli('--state-dir', s.stateDir);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/audit chain intact: 6 entries, head [0-9a-f]{16}, 4 recorded heads agree/);

    const withLog = path.join(s.stateDir, 'server.log');
    writeFileSync(withLog, s.serverLog.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(cli('--state-dir', s.stateDir, '--server-log', withLog, '--expect-head', `6:${entries(s)[5]!.hash}`).status).toBe(0);
    const wrongHead = cli('--state-dir', s.stateDir, '--expect-head', `2:${'0'.repeat(64)}`);
    expect(wrongHead.status).toBe(1);
    expect(wrongHead.stderr).toMatch(/BROKEN at line 2: the hash of entry 2 differs from the one --expect-head 2 recorded/);

    writeLines(s, lines(s).slice(0, 4));
    writeHead(s, entries(s)[3]!);
    const truncated = cli('--state-dir', s.stateDir);
    expect(truncated.status).toBe(1);
    expect(truncated.stderr).toMatch(/audit chain BROKEN at line 4: the log ends at entry 4 but entry 6 .* was recorded: the log was truncated/);

    const d = await writeLog('clean');
    const missing = cli('--state-dir', d.stateDir, '--audit-anchor', path.join(d.stateDir, 'nowhere.jsonl'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/anchor file .*nowhere\.jsonl does not exist/);
    const l = lines(d);
    l[0] = l[0]!.replace(/^\{/, '{"status":403,');
    writeLines(d, l);
    const dup = cli('--state-dir', d.stateDir);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/BROKEN at line 1: not a valid entry: duplicate key "status"/);

    const noDir = cli('--state-dir', path.join(d.stateDir, 'typo'));
    expect(noDir.status).toBe(2);
    expect(noDir.stderr).toMatch(/no audit log folder/);
    const badHead = cli('--state-dir', d.stateDir, '--expect-head', 'x');
    expect(badHead.status).toBe(2);
    expect(badHead.stderr).toMatch(/--expect-head.*SEQ:HASH/);
    expect(existsSync(d.anchorFile)).toBe(true);
  });
});
