import { randomBytes, scryptSync } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, utimesSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createAuthStore, loadAuthStore } from '../../server/auth/auth-store.ts';
import { addUser, tokenHash } from '../../server/auth/tokens.ts';
import { installErrorHandlers } from '../../server/http/errors.ts';
import { clientStaleness } from '../../server/demo/freshness.ts';
import { ensureDemoKey, ensureDemoUsers } from '../../server/demo/demo-files.ts';
import { tempDir } from './helpers.ts';

describe('auth store', () => {
  const token = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const slowToken = randomBytes(32).toString('base64url');
  const store = createAuthStore({
    users: [
      { name: 'ann', role: 'planner', tokenHash: tokenHash(token) },
      { name: 'sam', role: 'admin', tokenHash: `scrypt:${salt.toString('hex')}:${scryptSync(slowToken, salt, 32).toString('hex')}` },
    ],
  });

  it('finds users by sha256 and scrypt hashes, rejects others', () => {
    expect(store.authenticate(token)).toEqual({ name: 'ann', role: 'planner' });
    expect(store.authenticate(slowToken)).toEqual({ name: 'sam', role: 'admin' });
    expect(store.authenticate(slowToken)).toEqual({ name: 'sam', role: 'admin' });
    expect(store.authenticate(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(store.authenticate('short')).toBeNull();
    expect(store.authenticate('x'.repeat(500))).toBeNull();
  });

  it('rejects an auth config with a plain-text token or an unknown role', async () => {
    const dir = tempDir('lhcre-auth-');
    const file = path.join(dir, 'auth.json');
    writeFileSync(file, JSON.stringify({ users: [{ name: 'x', role: 'planner', tokenHash: 'hunter2' }] }));
    await expect(loadAuthStore(file)).rejects.toThrow(/tokenHash must be sha256/);
    writeFileSync(file, JSON.stringify({ users: [{ name: 'x', role: 'root', tokenHash: tokenHash('a'.repeat(43)) }] }));
    await expect(loadAuthStore(file)).rejects.toThrow(/role/);
  });
});

describe('tokens', () => {
  it('addUser stores only the hash, mode 600, and replaces a user of the same name', async () => {
    const file = path.join(tempDir('lhcre-tok-'), 'auth.json');
    const t1 = await addUser(file, 'kim', 'researcher');
    const t2 = await addUser(file, 'kim', 'commissioner');
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t1).not.toBe(t2);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(t2);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const store = await loadAuthStore(file);
    expect(store.userCount).toBe(1);
    expect(store.authenticate(t1)).toBeNull();
    expect(store.authenticate(t2)).toEqual({ name: 'kim', role: 'commissioner' });
  });
});

describe('500s', () => {
  it('send an error id and a fixed message, and log the detail', async () => {
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (s: string) => void logged.push(s) });
    const app = express();
    app.get('/boom', () => {
      throw new Error('Binder Error: secret table name patients_raw');
    });
    installErrorHandlers(app, logger);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`);
      expect(r.status).toBe(500);
      const body = (await r.json()) as { errorId: string; detail: string };
      expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(body)).not.toContain('patients_raw');
      expect(logged.join('')).toContain('patients_raw');
      expect(logged.join('')).toContain(body.errorId);
    } finally {
      server.close();
    }
  });
});

describe('demo helpers', () => {
  it('client staleness compares dist/index.html with the newest client source', () => {
    const root = tempDir('lhcre-client-');
    mkdirSync(path.join(root, 'client'));
    writeFileSync(path.join(root, 'client', 'main.ts'), '');
    expect(clientStaleness(root)).toBe('no dist/ yet');
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist', 'index.html'), '');
    const past = new Date(Date.UTC(2020, 0, 1));
    utimesSync(path.join(root, 'client', 'main.ts'), past, past);
    utimesSync(path.join(root, 'client'), past, past);
    expect(clientStaleness(root)).toBeNull();
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'client', 'main.ts'), future, future);
    expect(clientStaleness(root)).toBe('client sources changed since the last build');
  });

  it('demo key and users: mode 600, one user per role, kept across runs', async () => {
    const dir = path.join(tempDir('lhcre-demofiles-'), '.demo');
    const key = ensureDemoKey(dir);
    expect(key.created).toBe(true);
    expect(statSync(key.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(key.file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(ensureDemoKey(dir).created).toBe(false);
    const users = ensureDemoUsers(dir);
    expect(users.created).toBe(true);
    expect(statSync(users.tokensFile).mode & 0o777).toBe(0o600);
    const lines = readFileSync(users.tokensFile, 'utf8').split('\n').filter((l) => l.startsWith('demo-'));
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['planner', 'commissioner', 'researcher', 'admin']);
    expect(ensureDemoUsers(dir).created).toBe(false);
    const store = await loadAuthStore(users.authFile);
    expect(store.authenticate(lines[2]!.split(' ')[2]!)).toEqual({ name: 'demo-researcher', role: 'researcher' });
  });
});

describe('result cache', () => {
  it('shares one computation between identical requests, evicts the least recent, forgets failures', async () => {
    const { ResultCache } = await import('../../server/http/result-cache.ts');
    const cache = new ResultCache<number>(2);
    let computed = 0;
    const compute = async () => ++computed;
    const [a, b] = await Promise.all([cache.get('a', compute), cache.get('a', compute)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    await cache.get('b', compute);
    await cache.get('a', compute); // a is now the most recent
    await cache.get('c', compute); // evicts b
    expect(computed).toBe(3);
    await cache.get('b', compute);
    expect(computed).toBe(4);
    await expect(cache.get('bad', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await cache.get('bad', async () => 42)).toBe(42);
    const off = new ResultCache<number>(0);
    await off.get('a', compute);
    await off.get('a', compute);
    expect(computed).toBe(6);
  });
});

describe('opening a warehouse', () => {
  it('refuses a folder without a manifest or without rollups, with a one-line reason', async () => {
    const { Db } = await import('../../server/db.ts');
    const { openWarehouse } = await import('../../server/store/open-warehouse.ts');
    const { loadQueryRegistry } = await import('../../server/queries/registry.ts');
    const { SQL_DIR } = await import('../../server/start.ts');
    const db = await Db.open({ threads: 1, connections: 1 });
    const queries = await loadQueryRegistry(SQL_DIR);
    try {
      const dir = tempDir('lhcre-badwh-');
      await expect(openWarehouse(db, queries, path.join(dir, 'nope'))).rejects.toThrow(/warehouse folder not found/);
      await expect(openWarehouse(db, queries, dir)).rejects.toThrow(/cannot read .*manifest\.json/);
      writeFileSync(path.join(dir, 'manifest.json'), '{}');
      await expect(openWarehouse(db, queries, dir)).rejects.toThrow(/no rollups\/ Parquet files/);
    } finally {
      await db.close();
    }
  });
});

describe('crude rates in demand tables', () => {
  it('equal the stats module crudeRate for small and large counts, and are null without person-years', async () => {
    const { crudeRatePer1000 } = await import('../../server/demand/crude-rates.ts');
    const { crudeRate } = await import('../../server/stats/index.ts');
    for (const [count, py] of [[0, 120], [1, 50.5], [7, 1200], [9, 33], [10, 1000], [84, 1200], [5000, 2e6]] as const) {
      const expected = crudeRate(count, py, { multiplier: 1000 });
      for (let repeat = 0; repeat < 2; repeat++) {
        const got = crudeRatePer1000(count, py)!;
        expect(got.value).toBeCloseTo(expected.value, 12);
        expect(got.lo).toBeCloseTo(expected.lo, 12);
        expect(got.hi).toBeCloseTo(expected.hi, 12);
      }
    }
    expect(crudeRatePer1000(3, 0)).toBeNull();
  });
});

describe('gate', () => {
  it('runs at most the limit at once, in order', async () => {
    const { Gate } = await import('../../server/demand/gate.ts');
    const gate = new Gate(1);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      order.push(i);
      active--;
      return i;
    };
    expect(await Promise.all([0, 1, 2].map((i) => gate.run(task(i))))).toEqual([0, 1, 2]);
    expect(peak).toBe(1);
    expect(order).toEqual([0, 1, 2]);
  });
});
