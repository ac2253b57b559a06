/**
 * Every request under /api/{demand,compare,forecast,exports,audit} leaves exactly one audit entry,
 * whoever answers it: a route, the role check, the body parser, the URL length check, the 404 for
 * an unknown subpath. Real server on 127.0.0.1, entries read back from the log the server wrote.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/audit/index.ts';
import { rawRequest } from '../server/helpers.ts';
import { entriesAfter, sleep, startAuditServer, TOKENS, waitFor, type AuditServer } from './audit-fixture.ts';

let s: AuditServer;
beforeAll(async () => {
  s = await startAuditServer();
});
afterAll(async () => {
  await s?.cleanup();
});

type Role = keyof typeof TOKENS;
const auth = (role?: Role): Record<string, string> => (role ? { authorization: `Bearer ${TOKENS[role]}` } : {});
const EXPORT = { service: 'emergency_admission', measure: 'count', from: '2019-01', to: '2019-12', by: ['sex'] };

/**
 * Sends one request and returns the one entry it left. Waits past the point where a second entry
 * for the same request would have been written (finish and close come together), so a double
 * entry fails the test.
 */
async function onlyEntry(send: () => Promise<{ status: number }>): Promise<{ status: number; entry: AuditEntry }> {
  const before = s.log.head().seq;
  const { status } = await send();
  await waitFor(async () => ((await entriesAfter(s.log, before)).length ? true : null), 'an audit entry');
  await sleep(80);
  const added = await entriesAfter(s.log, before);
  expect(added, JSON.stringify(added.map((e) => [e.method, e.endpoint, e.status]))).toHaveLength(1);
  return { status, entry: added[0]! };
}

const raw = (p: string, o: { method?: string; role?: Role; headers?: Record<string, string>; body?: string } = {}) => () =>
  rawRequest(s.port, p, { method: o.method, headers: { ...auth(o.role), ...o.headers }, body: o.body });

const json = { 'content-type': 'application/json' };

/** [what, request, expected status, expected entry] */
const CASES: [string, () => Promise<{ status: number }>, number, Partial<AuditEntry>][] = [
  ['the export listing', raw('/api/exports', { role: 'researcher' }), 200, { method: 'GET', endpoint: '/api/exports', user: 't-researcher', outcome: 'ok' }],
  ['the export listing, refused', raw('/api/exports', { role: 'planner' }), 403, { endpoint: '/api/exports', user: 't-planner', outcome: 'denied' }],
  ['malformed JSON on POST /api/exports', raw('/api/exports', { method: 'POST', role: 'researcher', headers: json, body: '{"service":' }), 400,
    { method: 'POST', endpoint: '/api/exports', user: 't-researcher', role: 'researcher', outcome: 'rejected', detail: 'The request body is not valid JSON.' }],
  ['a body over 16 kB', raw('/api/exports', { method: 'POST', role: 'researcher', headers: json, body: JSON.stringify({ ...EXPORT, pad: 'x'.repeat(20_000) }) }), 413,
    { endpoint: '/api/exports', user: 't-researcher', outcome: 'rejected', detail: 'The request body is larger than 16 kB.' }],
  ['a body that is not JSON', raw('/api/exports', { method: 'POST', role: 'researcher', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(EXPORT) }), 415,
    { endpoint: '/api/exports', user: 't-researcher', outcome: 'rejected', detail: expect.stringMatching(/Content-Type: application\/json.*text\/plain/) as unknown as string }],
  ['a JSON body in a charset the parser refuses', raw('/api/exports', { method: 'POST', role: 'researcher', headers: { 'content-type': 'application/json; charset=koi8-r' }, body: '{}' }), 415,
    { endpoint: '/api/exports', outcome: 'rejected', detail: 'The request body charset is not supported.' }],
  ['a 5,000-deep array', raw('/api/exports', { method: 'POST', role: 'researcher', headers: json, body: '['.repeat(5000) + ']'.repeat(5000) }), 400,
    { endpoint: '/api/exports', user: 't-researcher', outcome: 'rejected', detail: expect.stringMatching(/more than 32 levels deep/) as unknown as string }],
  ['a 5,000-deep value inside the request', raw('/api/exports', { method: 'POST', role: 'researcher', headers: json, body: `{"service":${'['.repeat(5000)}${']'.repeat(5000)}}` }), 400,
    { endpoint: '/api/exports', outcome: 'rejected' }],
  ['an unknown subpath under exports', raw('/api/exports/x/y/z', { role: 'researcher' }), 404,
    { endpoint: '/api/exports/*', path: '/api/exports/x/y/z', outcome: 'rejected', user: 't-researcher' }],
  ['an unknown subpath under demand', raw('/api/demand/foo?service=ae_attendance', { role: 'planner' }), 404, { endpoint: '/api/demand/*', path: '/api/demand/foo', params: { service: 'ae_attendance' } }],
  ['an unknown export id', raw('/api/exports/0123456789abcdef?format=csv', { role: 'researcher' }), 404, { endpoint: '/api/exports/:id', exportId: '0123456789abcdef', outcome: 'rejected' }],
  ["a researcher's 403 on the audit log", raw('/api/audit', { role: 'researcher' }), 403, { endpoint: '/api/audit', user: 't-researcher', role: 'researcher', outcome: 'denied' }],
  ["a planner's 403 on the audit log", raw('/api/audit?limit=5', { role: 'planner' }), 403, { endpoint: '/api/audit', user: 't-planner', outcome: 'denied', params: { limit: '5' } }],
  ['the audit log without a token', raw('/api/audit'), 401, { endpoint: '/api/audit', user: null, role: null, outcome: 'denied' }],
  ["an admin's read of the audit log", raw('/api/audit?limit=1', { role: 'admin' }), 200, { endpoint: '/api/audit', user: 't-admin', outcome: 'ok' }],
  ['upper case (Express routes ignore case)', raw('/API/Demand?service=ae_attendance&format=json', { role: 'planner' }), 200, { endpoint: '/api/demand', outcome: 'ok', rows: 1 }],
  ['a trailing slash', raw('/api/compare/?service=ae_attendance&format=json', { role: 'commissioner' }), 200, { endpoint: '/api/compare', outcome: 'ok' }],
  ['a doubled slash', raw('/api//forecast?level=region&area=wessex&service=ae_attendance', { role: 'planner' }), 404, { endpoint: '/api/forecast' }],
  ['percent-encoding', raw('/api/%64emand?service=ae_attendance', { role: 'planner' }), 404, { endpoint: '/api/demand' }],
  ['a URL over 2,048 characters', raw(`/api/demand?service=ae_attendance&region=${'x'.repeat(3000)}`, { role: 'planner' }), 414,
    { endpoint: '/api/demand', user: 't-planner', outcome: 'rejected', params: { service: 'ae_attendance', region: 'x'.repeat(200) } }],
  ['a method no route has', raw('/api/demand?service=ae_attendance', { method: 'POST', role: 'planner' }), 404, { method: 'POST', endpoint: '/api/demand', outcome: 'rejected' }],
  ['a bad parameter', raw('/api/forecast?level=region&area=wessex&service=ae_attendance&horizon=100000', { role: 'admin' }), 400,
    { endpoint: '/api/forecast', outcome: 'rejected', detail: expect.stringMatching(/horizon/) as unknown as string }],
];

describe('every request under an audited area leaves exactly one entry', () => {
  it.each(CASES)('%s', async (_what, send, status, expected) => {
    const { status: got, entry } = await onlyEntry(send);
    expect(got).toBe(status);
    expect(entry).toMatchObject({ status, ...expected });
    // Path only: the query string never reaches the endpoint field.
    expect(entry.endpoint).not.toMatch(/[?A-Z]/);
  });

  it('the deep body is a 400 problem+json naming the body, not a 500', async () => {
    let r!: Awaited<ReturnType<typeof rawRequest>>;
    await onlyEntry(async () => (r = await rawRequest(s.port, '/api/exports', { method: 'POST', headers: { ...auth('researcher'), ...json }, body: '['.repeat(5000) + ']'.repeat(5000) })));
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.body)).toMatchObject({ status: 400, param: 'body' });
  });

  it('an export, its downloads and its metadata, with the id in exportId and the pattern as endpoint', async () => {
    const created = await onlyEntry(async () => {
      const r = await fetch(`${s.url}/api/exports`, { method: 'POST', headers: { ...auth('researcher'), ...json }, body: JSON.stringify(EXPORT) });
      const id = ((await r.json()) as { id: string }).id;
      return { status: r.status, id };
    });
    expect(created.entry).toMatchObject({ method: 'POST', endpoint: '/api/exports', status: 201, outcome: 'ok', exportId: expect.stringMatching(/^[0-9a-f-]{36}$/), params: EXPORT });
    const id = created.entry.exportId!;
    for (const [p, endpoint] of [[`/api/exports/${id}?format=json`, '/api/exports/:id'], [`/api/exports/${id}/METADATA`, '/api/exports/:id/metadata']] as const) {
      const { status, entry } = await onlyEntry(raw(p, { role: 'researcher' }));
      expect(status).toBe(200);
      expect(entry).toMatchObject({ endpoint, exportId: id, outcome: 'ok', rows: created.entry.rows });
    }
  });

  it('requests outside the audited areas are not audited', async () => {
    const before = s.log.head().seq;
    for (const p of ['/api/meta', '/api/health', '/api/manifest', '/api/demandx', '/nothing']) await rawRequest(s.port, p, { headers: auth('planner') });
    await sleep(100);
    expect(await entriesAfter(s.log, before)).toEqual([]);
  });
});

describe('a client that drops the connection', () => {
  /**
   * Sends `body` and destroys the client socket as soon as the server has read the whole request,
   * which is before the handler can have answered. Resolves with whether the server's response
   * had finished when its connection closed (it must not have, or the test proves nothing).
   */
  function dropAfterRequest(method: string, p: string, role: Role, body?: string): Promise<{ finishedBeforeClose: boolean }> {
    return new Promise((resolve, reject) => {
      const client = httpRequest({ host: '127.0.0.1', port: s.port, path: p, method, headers: { ...auth(role), ...(body ? json : {}), connection: 'close' } });
      client.on('error', () => undefined);
      const onRequest = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        // Express has rewritten req.url for its routers by now; originalUrl is what was sent.
        if (((req as { originalUrl?: string }).originalUrl ?? req.url) !== p) return;
        s.server.off('request', onRequest);
        res.once('close', () => resolve({ finishedBeforeClose: res.writableFinished }));
        const drop = () => client.destroy();
        // Express has run up to the handler's first await by now; a body is read later, so wait for it.
        if (body) req.once('end', drop);
        else drop();
      };
      s.server.on('request', onRequest);
      setTimeout(() => reject(new Error('no response close')), 10_000).unref();
      if (body) client.write(body);
      client.end();
    });
  }

  it('an export created while the client is gone is on record with its id, once', async () => {
    const before = s.log.head().seq;
    const body = JSON.stringify({ ...EXPORT, measure: 'crude_rate', by: ['region'] });
    const { finishedBeforeClose } = await dropAfterRequest('POST', '/api/exports', 'researcher', body);
    expect(finishedBeforeClose).toBe(false);
    const entry = await waitFor(async () => (await entriesAfter(s.log, before))[0], 'the export entry');
    await sleep(200);
    const added = await entriesAfter(s.log, before);
    expect(added).toHaveLength(1);
    expect(entry).toMatchObject({ method: 'POST', endpoint: '/api/exports', status: 201, outcome: 'ok', user: 't-researcher', params: { measure: 'crude_rate', by: ['region'] } });
    expect(entry.exportId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry.detail).toMatch(/closed the connection before the response was complete/);
    // The export exists: the same id is in the researcher's listing.
    let list!: { exports: { id: string }[] };
    await onlyEntry(async () => {
      const r = await fetch(`${s.url}/api/exports`, { headers: auth('researcher') });
      list = (await r.json()) as typeof list;
      return r;
    });
    expect(list.exports.map((e) => e.id)).toContain(entry.exportId);
  });

  it('a data request whose client is gone is recorded as aborted, once', async () => {
    const before = s.log.head().seq;
    // A window no other test asks for, so it is not answered from the result cache.
    // Distinct patients over a window without month: a scan of events, not the rollups.
    const p = '/api/demand?service=emergency_admission&from=2019-02&to=2020-11&by=sex&measure=patients&format=json';
    const { finishedBeforeClose } = await dropAfterRequest('GET', p, 'planner');
    expect(finishedBeforeClose).toBe(false);
    await waitFor(async () => (await entriesAfter(s.log, before))[0], 'the aborted entry');
    await sleep(300);
    const added = await entriesAfter(s.log, before);
    expect(added, JSON.stringify(added)).toHaveLength(1);
    expect(added[0]).toMatchObject({ endpoint: '/api/demand', outcome: 'aborted', status: 499, user: 't-planner', params: { service: 'emergency_admission', by: ['sex'], measure: 'patients' } });
  });

  it('the chain is intact after all of it', async () => {
    await s.log.flush();
    expect(await s.log.verify()).toMatchObject({ ok: true, entries: s.log.head().seq });
  });
});
