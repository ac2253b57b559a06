/**
 * State folders under a dot-folder (`.demo/state`, which `npm start` uses, or `.state`): send's
 * dotfiles rule used to turn every Parquet download there into a 404. Real server, real files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditServer, TOKENS, type AuditServer } from '../exports/audit-fixture.ts';
import { tempDir } from './helpers.ts';

const auth = { authorization: `Bearer ${TOKENS.researcher}` };
const body = JSON.stringify({ service: 'ae_attendance', measure: 'count', from: '2019-01', to: '2020-12', by: ['sex'] });

describe.each(['.demo/state', '.state'])('state folder %s', (stateDir) => {
  let s: AuditServer;
  beforeAll(async () => {
    s = await startAuditServer({ stateDir });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('serves the Parquet download (and CSV) of an export', async () => {
    expect(s.stateDir.split(path.sep).some((p) => p.startsWith('.'))).toBe(true);
    const created = await fetch(`${s.url}/api/exports`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const pq = await fetch(`${s.url}/api/exports/${id}?format=parquet`, { headers: auth });
    expect(pq.status).toBe(200);
    expect(pq.headers.get('content-type')).toMatch(/^application\/vnd\.apache\.parquet/);
    const bytes = Buffer.from(await pq.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(-4).toString()).toBe('PAR1');
    // The second download is the file already written.
    expect((await fetch(`${s.url}/api/exports/${id}?format=parquet`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${s.url}/api/exports/${id}?format=csv`, { headers: auth })).status).toBe(200);
  });
});

describe('a client build under a dot-folder', () => {
  let s: AuditServer;
  beforeAll(async () => {
    const dist = path.join(tempDir('lhcre-dot-dist-'), '.build', 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>dot</title>');
    s = await startAuditServer({ staticDir: dist });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('answers a dashboard route with index.html', async () => {
    const r = await fetch(`${s.url}/demand/wessex`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<title>dot</title>');
  });
});
