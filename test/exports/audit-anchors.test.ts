/**
 * The audit head leaves the state folder: the server writes it to its pino log and to the anchor
 * file on start, on a timer (AUDIT_HEAD_INTERVAL_MS, unref'd, cleared on close) and on close.
 * Real servers on 127.0.0.1: in process, and the `npm run serve` CLI with --audit-anchor.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';
import { defaultAnchorFile, headIntervalFromEnv, verifyStateDir, type AnchorRecord } from '../../server/audit/index.ts';
import { tokenHash } from '../../server/auth/tokens.ts';
import { REPO_ROOT } from '../../server/start.ts';
import { tempDir } from '../server/helpers.ts';
import { sleep, startAuditServer, TOKENS, waitFor, type AuditServer } from './audit-fixture.ts';

const anchorsIn = (file: string): AnchorRecord[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AnchorRecord) : [];
const heads = (s: AuditServer, event?: string) =>
  s.logLines.lines.filter((l) => l.msg === 'audit head' && (!event || l.event === event)).map((l) => l.auditHead as { seq: number; hash: string });
const researcher = { authorization: `Bearer ${TOKENS.researcher}` };

describe('a running server anchors its audit head outside the log', () => {
  let s: AuditServer;
  let anchorFile: string;
  beforeAll(async () => {
    // On "another disk": a folder that is not the state folder.
    s = await startAuditServer({ anchorFile: 'elsewhere/anchors.jsonl', headIntervalMs: 100 });
    anchorFile = path.join(s.root, 'elsewhere/anchors.jsonl');
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('on start: the head in the pino log and a start anchor, nothing in the state folder', () => {
    expect(heads(s, 'start')).toEqual([{ seq: 0, hash: '0'.repeat(64) }]);
    expect(anchorsIn(anchorFile)).toEqual([{ seq: 0, hash: '0'.repeat(64), time: expect.any(String), event: 'start' }]);
    expect(existsSync(defaultAnchorFile(s.stateDir))).toBe(false);
  });

  it("on the timer: the new head after requests, an anchor only when it moved; the timer does not hold the process", async () => {
    expect(s.log.headTimer).not.toBeNull();
    expect(s.log.headTimer!.hasRef()).toBe(false);
    for (let i = 0; i < 3; i++) expect((await fetch(`${s.url}/api/exports`, { headers: researcher })).status).toBe(200);
    await waitFor(() => (s.log.head().seq === 3 ? true : null), 'three entries');
    const head = s.log.head();
    const tick = await waitFor(() => anchorsIn(anchorFile).find((a) => a.event === 'tick' && a.seq === 3), 'a tick anchor at entry 3');
    expect(tick.hash).toBe(head.hash);
    expect(heads(s, 'tick')).toContainEqual(head);
    // Nothing new: the pino log keeps ticking, the anchor file does not grow.
    const anchors = anchorsIn(anchorFile).length;
    const ticks = heads(s, 'tick').length;
    await sleep(450);
    expect(heads(s, 'tick').length).toBeGreaterThanOrEqual(ticks + 2);
    expect(anchorsIn(anchorFile)).toHaveLength(anchors);
  });

  it('on close: a close anchor at the last head, the timer cleared, and the state verifies against the anchor file', async () => {
    await fetch(`${s.url}/api/exports/nope`, { headers: researcher });
    await s.close();
    const head = s.log.head();
    expect(head.seq).toBe(4);
    expect(anchorsIn(anchorFile).at(-1)).toMatchObject({ event: 'close', seq: 4, hash: head.hash });
    expect(heads(s, 'close')).toEqual([head]);
    expect(s.log.headTimer).toBeNull();
    expect(await verifyStateDir(s.stateDir, { anchorFile, requireAnchorFile: true })).toMatchObject({ ok: true, entries: 4 });
    // The default location was never used, so checking there would only note its absence.
    expect((await verifyStateDir(s.stateDir)).note).toMatch(/no anchor file/);
  });
});

describe('the server notices its log changing under it', () => {
  it('a line appended by someone else is reported at the next tick, and verify refuses the log', async () => {
    const s = await startAuditServer({ headIntervalMs: 50 });
    try {
      await fetch(`${s.url}/api/exports`, { headers: researcher });
      await waitFor(() => (s.log.head().seq === 1 ? true : null), 'one entry');
      await s.log.flush();
      appendFileSync(path.join(s.stateDir, 'audit', 'audit.jsonl'), '{"seq":2}\n');
      const error = await waitFor(() => s.logLines.lines.find((l) => l.level === 50 && /changed outside the server/.test(String(l.msg))), 'the error');
      expect(error).toMatchObject({ expectedBytes: expect.any(Number), foundBytes: expect.any(Number) });
      expect((await s.log.verify()).ok).toBe(false);
    } finally {
      await s.cleanup();
    }
  });
});

describe('configuration', () => {
  it('AUDIT_HEAD_INTERVAL_MS: whole milliseconds, 0 for start and close only; anything else is refused naming it', async () => {
    expect(headIntervalFromEnv({})).toBeUndefined();
    expect(headIntervalFromEnv({ AUDIT_HEAD_INTERVAL_MS: '250' })).toBe(250);
    expect(headIntervalFromEnv({ AUDIT_HEAD_INTERVAL_MS: '0' })).toBe(0);
    for (const bad of ['-1', '1.5', '60s', '99999999999', '2147483648']) {
      expect(() => headIntervalFromEnv({ AUDIT_HEAD_INTERVAL_MS: bad }), bad).toThrow(/AUDIT_HEAD_INTERVAL_MS=.* must be a whole number of milliseconds/);
    }
    const warehouseDir = path.join(tempDir('lhcre-audit-env-'), 'warehouse');
    await buildFixtureWarehouse(warehouseDir);
    process.env.AUDIT_HEAD_INTERVAL_MS = 'soon';
    try {
      await expect(startAuditServer({ warehouseDir })).rejects.toThrow(/AUDIT_HEAD_INTERVAL_MS="soon"/);
      process.env.AUDIT_HEAD_INTERVAL_MS = '0';
      const anchorFile = path.join(tempDir('lhcre-audit-env-anchor-'), 'a.jsonl');
      process.env.AUDIT_ANCHOR_FILE = anchorFile;
      const s = await startAuditServer({ warehouseDir });
      try {
        expect(s.log.headTimer).toBeNull();
        expect(anchorsIn(anchorFile).map((a) => a.event)).toEqual(['start']);
      } finally {
        await s.cleanup();
      }
      expect(anchorsIn(anchorFile).map((a) => a.event)).toEqual(['start', 'close']);
    } finally {
      delete process.env.AUDIT_HEAD_INTERVAL_MS;
      delete process.env.AUDIT_ANCHOR_FILE;
    }
  });
});

describe('npm run serve -- --audit-anchor FILE', () => {
  it('anchors there on start, on the timer and on SIGTERM; audit:verify agrees, with the server log as a second record', async () => {
    const root = tempDir('lhcre-audit-cli-');
    const warehouse = path.join(root, 'warehouse');
    await buildFixtureWarehouse(warehouse);
    const authConfig = path.join(root, 'auth.json');
    writeFileSync(authConfig, JSON.stringify({ users: [{ name: 'rita', role: 'researcher', tokenHash: tokenHash(TOKENS.researcher) }] }));
    const stateDir = path.join(root, 'state');
    const anchorFile = path.join(root, 'other-disk', 'anchors.jsonl');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'server/cli.ts'), '--warehouse', warehouse, '--auth-config', authConfig, '--port', '0', '--state-dir', stateDir, '--audit-anchor', anchorFile, '--no-client'],
      { cwd: REPO_ROOT, env: { ...process.env, AUDIT_HEAD_INTERVAL_MS: '100', LOG_LEVEL: 'info', AUDIT_ANCHOR_FILE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await waitFor(() => /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1], `the server to start (${stderr})`, 60_000);
      expect((await fetch(`${url}/api/exports`, { headers: researcher })).status).toBe(200);
      await waitFor(() => anchorsIn(anchorFile).find((a) => a.event === 'tick' && a.seq === 1), 'a tick anchor');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(anchorsIn(anchorFile).map((a) => [a.event, a.seq])).toEqual([['start', 0], ['tick', 1], ['close', 1]]);
    const serverLog = path.join(root, 'server.log');
    writeFileSync(serverLog, stdout);
    expect(stdout).toMatch(/"auditHead":\{"seq":1,/);
    const verify = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const v = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/audit/verify-cli.ts'), '--state-dir', stateDir, '--audit-anchor', anchorFile, '--server-log', serverLog], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      v.stdout.on('data', (c: Buffer) => (out += c.toString()));
      v.stderr.on('data', (c: Buffer) => (out += c.toString()));
      v.on('exit', (code) => resolve({ code, out }));
    });
    expect(verify.code, verify.out).toBe(0);
    expect(verify.out).toMatch(/audit chain intact: 1 entries/);
  });
});
