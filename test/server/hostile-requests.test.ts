import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, rawRequest, startFixtureServer, type FixtureServer } from './helpers.ts';

let srv: FixtureServer;
beforeAll(async () => {
  srv = await startFixtureServer();
});
afterAll(async () => {
  await srv.cleanup();
});

const D = '/api/demand?service=emergency_admission';
const C = '/api/compare?service=emergency_admission';
const enc = encodeURIComponent;

/** [description, raw path, expected status, parameter the message must name (or null)] */
const CASES: [string, string, number, string | null][] = [
  ['missing service', '/api/demand?by=month', 400, 'service'],
  ['unknown service', '/api/demand?service=dentistry', 400, 'service'],
  ['SQL injection in service', `/api/demand?service=${enc("ae_attendance' OR '1'='1")}`, 400, 'service'],
  ['SQL injection in region', `${D}&region=${enc("wessex'; DROP TABLE rollups; --")}`, 400, 'region'],
  ['SQL injection in stp', `${D}&stp=${enc("E54000007' UNION SELECT pid FROM patients --")}`, 400, 'stp'],
  ['SQL injection in from', `${D}&from=${enc("2019-01' OR 1=1 --")}`, 400, 'from'],
  ['SQL injection in to', `${D}&to=${enc('2020-12); DROP VIEW rollups; --')}`, 400, 'to'],
  ['SQL injection in by (union)', `${D}&by=${enc('month) UNION SELECT pid FROM patients --')}`, 400, 'by'],
  ['SQL injection in by (stacked)', `${D}&by=${enc('month; DROP TABLE x')}`, 400, 'by'],
  ['SQL injection in measure', `${D}&measure=${enc('count FROM patients --')}`, 400, 'measure'],
  ['SQL injection in format', `${D}&format=${enc("arrow'")}`, 400, 'format'],
  ['SQL injection in compare service', `/api/compare?service=${enc("x' OR 1=1")}`, 400, 'service'],
  ['SQL injection in compare by', `${C}&by=${enc('imd_decile; SELECT 1')}`, 400, 'by'],
  ['SQL injection in compare region', `${C}&by=imd_decile&region=${enc("' OR ''='")}`, 400, 'region'],
  ['SQL injection in compare from', `${C}&from=${enc("2019-01' OR 1=1 --")}`, 400, 'from'],
  ['SQL injection in compare to', `${C}&to=${enc('2020-12); DROP TABLE population; --')}`, 400, 'to'],
  ['SQL injection in forecast area', `/api/forecast?level=region&service=emergency_admission&area=${enc("wessex' OR '1'='1")}`, 400, 'area'],
  ['SQL injection in forecast level', `/api/forecast?service=emergency_admission&area=wessex&level=${enc("region' --")}`, 400, 'level'],
  ['SQL injection in forecast scheme', `/api/forecast?level=region&area=wessex&service=emergency_admission&scheme=${enc("ae_attendance:10:2024-01:3'; DROP TABLE rollups; --")}`, 400, 'scheme'],
  ['huge forecast horizon', '/api/forecast?level=region&area=wessex&service=emergency_admission&horizon=100000', 400, 'horizon'],
  ['month 13', `${D}&from=2019-13`, 400, 'from'],
  ['one-digit month', `${D}&from=2019-1`, 400, 'from'],
  ['five-digit year', `${D}&to=99999-01`, 400, 'to'],
  ['a day in the month', `${D}&from=2019-02-30`, 400, 'from'],
  ['negative year', `${D}&from=-2019-01`, 400, 'from'],
  ['from after to', `${D}&from=2020-06&to=2019-06`, 400, 'from'],
  ['from before the data', `${D}&from=2000-01`, 400, 'from'],
  ['to after the data', `${D}&to=2099-12`, 400, 'to'],
  ['unknown dimension', `${D}&by=postcode`, 400, 'by'],
  ['too many dimensions', `${D}&by=month,region,sex,age_band`, 400, 'by'],
  ['dimension twice', `${D}&by=month,month`, 400, 'by'],
  ['empty dimension', `${D}&by=month,`, 400, 'by'],
  ['month and year together', `${D}&by=month,year`, 400, 'by'],
  ['repeated parameter', `${D}&service=ae_attendance`, 400, 'service'],
  ['unknown parameter (typo)', `${D}&regoin=wessex`, 400, 'regoin'],
  ['array-style parameter', `${D}&by[]=month`, 400, 'by[]'],
  ['nested parameter', `/api/demand?service[x]=ae_attendance`, 400, 'service[x]'],
  ['region and stp together', `${D}&region=wessex&stp=E54000041`, 400, 'stp'],
  ['bed days for A&E', '/api/demand?service=ae_attendance&measure=bed_days', 400, 'measure'],
  ['unknown format', `${D}&format=xml`, 400, 'format'],
  ['long value', `${D}&region=${'w'.repeat(500)}`, 400, 'region'],
  ['unicode service', `/api/demand?service=${enc('ǝɔıʌɹǝs 🚑')}`, 400, 'service'],
  ['unicode lookalike region', `${D}&region=${enc('wеssex')}`, 400, 'region'],
  ['NUL byte', `${D}&region=wessex%00`, 400, 'region'],
  ['newline in a value', `${D}&region=wessex%0d%0aX-Injected:%201`, 400, 'region'],
  ['unknown compare dimension', `${C}&by=stp`, 400, 'by'],
  ['meta takes no parameters', '/api/meta?x=1', 400, 'x'],
  ['oversized URL', `${D}&region=${'x'.repeat(5000)}`, 414, null],
  ['path traversal', '/../../../etc/passwd', 404, null],
  ['encoded path traversal', '/%2e%2e/%2e%2e/etc/passwd', 404, null],
  ['traversal inside the API', '/api/../../etc/passwd', 404, null],
  ['unknown API path', '/api/sql?q=SELECT%201', 404, null],
];

describe('malformed and hostile requests get a 4xx with a clear message', () => {
  it.each(CASES)('%s', async (_name, rawPath, status, param) => {
    const r = await rawRequest(srv.port, rawPath, { headers: { authorization: `Bearer ${TOKENS.planner}` } });
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(r.body) as { status: number; detail: string; param?: string };
    expect(body.status).toBe(status);
    expect(body.detail.length).toBeGreaterThan(10);
    // The message may echo the (truncated) input, but never internals.
    expect(body.detail).not.toMatch(/duckdb|binder|parser error|\.ts:\d|\n\s+at /i);
    if (param) expect(body.param).toBe(param);
    expect(r.headers['x-injected']).toBeUndefined();
  });

  it('rejects an oversized JSON body with 413 and invalid JSON with 400', async () => {
    const headers = { authorization: `Bearer ${TOKENS.planner}`, 'content-type': 'application/json' };
    const big = await rawRequest(srv.port, '/api/demand', { method: 'POST', headers, body: JSON.stringify({ x: 'y'.repeat(100_000) }) });
    expect(big.status).toBe(413);
    const bad = await rawRequest(srv.port, '/api/demand', { method: 'POST', headers, body: '{"x":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).detail).toBe('The request body is not valid JSON.');
  });

  it('rejects wrong methods and a huge Authorization header without a stack trace', async () => {
    const post = await rawRequest(srv.port, D, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.planner}` } });
    expect(post.status).toBe(404);
    const huge = await rawRequest(srv.port, '/api/meta', { headers: { authorization: `Bearer ${'a'.repeat(4000)}` } });
    expect(huge.status).toBe(401);
  });

  it('leaves the server healthy and the data intact', async () => {
    const health = await fetch(`${srv.url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const r = await fetch(`${srv.url}${D}&format=json`, { headers: { authorization: `Bearer ${TOKENS.planner}` } });
    expect(((await r.json()) as { rows: unknown[] }).rows).toEqual([{ value: 216 }]);
  });
});
