import { describe, expect, it } from 'vitest';
import { DateDay, Float64, Int64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Connector, forecastParams, type Transport } from './connector.ts';
import { ApiError } from './api-error.ts';
import { decodeArrow } from './arrow-decode.ts';

const ARROW = 'application/vnd.apache.arrow.stream';

/** A hand-made table like /api/demand?by=month,region&measure=crude_rate sends. */
function demandTable(): Uint8Array {
  const t = new Table({
    month: vectorFromArray([new Date(Date.UTC(2020, 2, 1)), new Date(Date.UTC(2020, 3, 1)), null], new DateDay()),
    region: vectorFromArray(['wessex', 'wessex', null], new Utf8()),
    count: vectorFromArray([12n, 0n, 9_007_199_254_740_991n], new Int64()),
    value: vectorFromArray([1.5, 0, null], new Float64()),
  });
  t.schema.metadata.set('measure', 'crude rate');
  t.schema.metadata.set('benchmark_dsr', '12.5');
  return tableToIPC(t, 'stream');
}

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeTransport(respond: (url: string, init: RequestInit) => Response): { transport: Transport; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    transport: async (url, init) => {
      seen.push({ url, init });
      return respond(url, init);
    },
  };
}

describe('Arrow decoding', () => {
  it('turns DATE months into YYYY-MM, BIGINT into numbers and keeps nulls and metadata', () => {
    const t = decodeArrow(demandTable());
    expect(t.columns).toEqual(['month', 'region', 'count', 'value']);
    expect(t.rows[0]).toEqual({ month: '2020-03', region: 'wessex', count: 12, value: 1.5 });
    expect(t.rows[1]).toEqual({ month: '2020-04', region: 'wessex', count: 0, value: 0 });
    expect(t.rows[2]).toEqual({ month: null, region: null, count: 9_007_199_254_740_991, value: null });
    expect(typeof t.rows[0]!.count).toBe('number');
    expect(t.meta).toMatchObject({ measure: 'crude rate', benchmark_dsr: '12.5' });
  });

  it('keeps full dates for DATE columns not named month', () => {
    const t = new Table({ start_date: vectorFromArray([new Date(Date.UTC(2021, 11, 31))], new DateDay()) });
    expect(decodeArrow(tableToIPC(t, 'stream')).rows[0]).toEqual({ start_date: '2021-12-31' });
  });

  it('refuses a 64-bit integer beyond 2^53 instead of rounding it', () => {
    const t = new Table({ count: vectorFromArray([9_007_199_254_740_993n], new Int64()) });
    expect(() => decodeArrow(tableToIPC(t, 'stream'))).toThrow(/count: 9007199254740993 is beyond the safe integer range/);
  });
});

describe('Connector', () => {
  it('sends the bearer token and query, and decodes the Arrow answer', async () => {
    const { transport, seen } = fakeTransport(() => new Response(demandTable() as Uint8Array<ArrayBuffer>, { headers: { 'content-type': ARROW } }));
    const c = new Connector({ transport, token: () => 'tok-123' });
    const t = await c.demand({ service: 'ae_attendance', region: 'wessex', by: ['month', 'region'], measure: 'crude_rate', from: '2020-03', to: '2020-04' });
    expect(t.rows).toHaveLength(3);
    const url = new URL(seen[0]!.url, 'http://x');
    expect(url.pathname).toBe('/api/demand');
    expect(Object.fromEntries(url.searchParams)).toEqual({ service: 'ae_attendance', region: 'wessex', from: '2020-03', to: '2020-04', measure: 'crude_rate', by: 'month,region' });
    expect(new Headers(seen[0]!.init.headers).get('authorization')).toBe('Bearer tok-123');
  });

  it("turns problem+json into an ApiError carrying the server's message and parameter", async () => {
    const body = JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: "unknown service \"x\"; one of ae_attendance", param: 'service' });
    const { transport } = fakeTransport(() => new Response(body, { status: 400, headers: { 'content-type': 'application/problem+json' } }));
    const err = await new Connector({ transport }).compare({ service: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('unknown service "x"; one of ae_attendance');
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).param).toBe('service');
  });

  it('shows the error id of a 500 and never invents detail', async () => {
    const body = JSON.stringify({ title: 'Internal Server Error', status: 500, errorId: 'e-42' });
    const { transport } = fakeTransport(() => new Response(body, { status: 500, headers: { 'content-type': 'application/problem+json' } }));
    const err = (await new Connector({ transport }).meta().catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('The server could not complete this request. (error reference e-42)');
    expect(err.errorId).toBe('e-42');
  });

  it('signals a 401 so the app can ask for the token again', async () => {
    let told = 0;
    const { transport } = fakeTransport(() => new Response('{"detail":"no token"}', { status: 401, headers: { 'content-type': 'application/problem+json' } }));
    await expect(new Connector({ transport, onUnauthorised: () => told++ }).manifest()).rejects.toThrow('no token');
    expect(told).toBe(1);
  });

  it('marks 404 and 501 as not available (an endpoint not built yet)', async () => {
    for (const status of [404, 501]) {
      const { transport } = fakeTransport(() => new Response('{"detail":"No API endpoint POST /api/exports."}', { status, headers: { 'content-type': 'application/problem+json' } }));
      const err = (await new Connector({ transport }).createExport({ service: 's', measure: 'count', from: '2020-01', to: '2020-12', by: [] }).catch((e: unknown) => e)) as ApiError;
      expect(err.notAvailable).toBe(true);
    }
  });

  it('rejects a data answer that is not Arrow', async () => {
    const { transport } = fakeTransport(() => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    await expect(new Connector({ transport }).compare({ service: 'ae_attendance' })).rejects.toThrow(/Expected Arrow from \/api\/compare/);
  });

  it('reports an unreachable server as a network ApiError', async () => {
    const c = new Connector({ transport: () => Promise.reject(new TypeError('fetch failed')) });
    const err = (await c.meta().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/Could not reach the server/);
  });

  it('POSTs export requests as JSON', async () => {
    const { transport, seen } = fakeTransport(() => Response.json({ id: 'abc' }, { status: 201 }));
    const res = await new Connector({ transport }).createExport({ service: 'ae_attendance', measure: 'count', from: '2020-01', to: '2020-12', by: ['region', 'sex'] });
    expect(res).toEqual({ id: 'abc' });
    expect(seen[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ service: 'ae_attendance', measure: 'count', from: '2020-01', to: '2020-12', by: ['region', 'sex'] });
  });
});

describe('forecast parameters', () => {
  it('encodes schemes as service:percent:start:ramp, comma-separated, and omits unset growth', () => {
    const p = forecastParams({
      level: 'stp',
      area: 'E54000007',
      service: 'emergency_admission',
      horizon: 24,
      occupancy: 90,
      schemes: [
        { service: 'emergency_admission', percent: 5, start: '2025-04', rampMonths: 12 },
        { service: 'ae_attendance', percent: 2.5, start: '2025-01', rampMonths: 0 },
      ],
    });
    expect(p.scheme).toBe('emergency_admission:5:2025-04:12,ae_attendance:2.5:2025-01:0');
    expect(p.popGrowth).toBeUndefined();
    expect(p.occupancy).toBe(90);
  });
});
