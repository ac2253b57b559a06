import { ApiError, apiErrorFrom } from './api-error.ts';
import { decodeArrow, type DecodedTable } from './arrow-decode.ts';
import { parseCsv, type ParsedCsv } from './csv-parse.ts';
import type { CompareQuery, DemandQuery, ExportRequest, ForecastQuery, Meta } from './api-types.ts';

/** Anything shaped like `fetch`: the browser's in the app, a fake in unit tests. */
export type Transport = (url: string, init: RequestInit) => Promise<Response>;

export interface ConnectorOptions {
  transport?: Transport;
  /** Prefix for API paths; '' in the app (same origin). */
  baseUrl?: string;
  /** Read at each request, so signing in or out needs no new connector. */
  token?: () => string | null;
  /** Called on a 401 so the app can return to the sign-in form. */
  onUnauthorised?: () => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

const ARROW = 'application/vnd.apache.arrow.stream';

type QueryValue = string | number | undefined | null | readonly string[];

function queryString(params: Record<string, QueryValue>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v == null || v === '') continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function forecastParams(q: ForecastQuery): Record<string, QueryValue> {
  return {
    level: q.level,
    area: q.area,
    service: q.service,
    horizon: q.horizon,
    popGrowth: q.popGrowth,
    nonDemGrowth: q.nonDemGrowth,
    occupancy: q.occupancy,
    // One `service:percent:start:ramp` item per scheme, comma-separated; the server validates each part.
    scheme: q.schemes?.length ? q.schemes.map((s) => `${s.service}:${s.percent}:${s.start}:${s.rampMonths}`).join(',') : undefined,
  };
}

/**
 * The one place the client talks to the server. Components call these methods and never `fetch`:
 * Arrow results are decoded here (dates and 64-bit integers explicitly), JSON parsed here, and
 * every failure becomes an ApiError carrying the server's message.
 */
export class Connector {
  readonly #transport: Transport;
  readonly #base: string;
  readonly #token: () => string | null;
  readonly #onUnauthorised: () => void;

  constructor(opts: ConnectorOptions = {}) {
    this.#transport = opts.transport ?? ((url, init) => globalThis.fetch(url, init));
    this.#base = opts.baseUrl ?? '';
    this.#token = opts.token ?? (() => null);
    this.#onUnauthorised = opts.onUnauthorised ?? (() => {});
  }

  async #send(path: string, init: RequestInit, accept: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Accept', `${accept}, application/problem+json`);
    const token = this.#token();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    let res: Response;
    try {
      res = await this.#transport(this.#base + path, { ...init, headers });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError({ status: 0, title: 'Network error', detail: 'Could not reach the server. Check your connection and try again.', path, cause });
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      const err = apiErrorFrom(res.status, res.statusText, res.headers.get('content-type') ?? '', body, path);
      if (res.status === 401) this.#onUnauthorised();
      throw err;
    }
    return res;
  }

  async #json<T>(path: string, opts: RequestOptions = {}, init: RequestInit = {}): Promise<T> {
    const res = await this.#send(path, { ...init, signal: opts.signal }, 'application/json');
    return (await res.json()) as T;
  }

  async #arrow(path: string, opts: RequestOptions = {}): Promise<DecodedTable> {
    const res = await this.#send(path, { signal: opts.signal }, ARROW);
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith(ARROW)) {
      throw new ApiError({ status: res.status, title: 'Unexpected response', detail: `Expected Arrow from ${path}, got ${type || 'no content type'}`, path });
    }
    return decodeArrow(new Uint8Array(await res.arrayBuffer()));
  }

  /** Checks a token without keeping it: resolves to the role the server sees. */
  async whoAmI(token: string, opts: RequestOptions = {}): Promise<Meta> {
    const res = await this.#transport(this.#base + '/api/meta', {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: opts.signal,
    }).catch((cause: unknown) => {
      throw new ApiError({ status: 0, title: 'Network error', detail: 'Could not reach the server.', path: '/api/meta', cause });
    });
    if (!res.ok) throw apiErrorFrom(res.status, res.statusText, res.headers.get('content-type') ?? '', await res.text(), '/api/meta');
    return (await res.json()) as Meta;
  }

  meta(opts?: RequestOptions): Promise<Meta> {
    return this.#json<Meta>('/api/meta', opts);
  }

  demand(q: DemandQuery, opts?: RequestOptions): Promise<DecodedTable> {
    const { by, ...rest } = q;
    return this.#arrow(`/api/demand${queryString({ ...rest, by })}`, opts);
  }

  compare(q: CompareQuery, opts?: RequestOptions): Promise<DecodedTable> {
    return this.#arrow(`/api/compare${queryString({ ...q })}`, opts);
  }

  forecast<T = unknown>(q: ForecastQuery, opts?: RequestOptions): Promise<T> {
    return this.#json<T>(`/api/forecast${queryString(forecastParams(q))}`, opts);
  }

  manifest<T = unknown>(opts?: RequestOptions): Promise<T> {
    return this.#json<T>('/api/manifest', opts);
  }

  /** The audit log, newest first; `query` holds limit, before and the filters (user, endpoint, status, from, to). */
  audit<T = unknown>(opts?: RequestOptions, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') p.set(k, String(v));
    const q = p.toString();
    return this.#json<T>(`/api/audit${q ? `?${q}` : ''}`, opts);
  }

  createExport<T = unknown>(body: ExportRequest, opts?: RequestOptions): Promise<T> {
    return this.#json<T>('/api/exports', opts, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
  }

  listExports<T = unknown>(opts?: RequestOptions): Promise<T> {
    return this.#json<T>('/api/exports', opts);
  }

  exportMetadata<T = unknown>(id: string, opts?: RequestOptions): Promise<T> {
    return this.#json<T>(`/api/exports/${encodeURIComponent(id)}/metadata`, opts);
  }

  /** The export's CSV, parsed, for the preview (the same bytes a researcher downloads). */
  async exportPreview(id: string, opts: RequestOptions = {}): Promise<ParsedCsv> {
    const res = await this.#send(`/api/exports/${encodeURIComponent(id)}?format=csv`, { signal: opts.signal }, 'text/csv');
    return parseCsv(await res.text());
  }

  /**
   * A file to save (export downloads need the bearer token, so a plain link cannot be used).
   * `readable`: the CSV with a header and categories in words (`labels=words`).
   */
  async exportFile(id: string, format: 'csv' | 'parquet', opts: RequestOptions & { readable?: boolean } = {}): Promise<Blob> {
    const accept = format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet';
    const labels = format === 'csv' && opts.readable ? '&labels=words' : '';
    const res = await this.#send(`/api/exports/${encodeURIComponent(id)}?format=${format}${labels}`, { signal: opts.signal }, accept);
    return res.blob();
  }

  /** The metadata sheet as a file: Markdown in words, or the JSON. */
  async exportMetadataFile(id: string, format: 'md' | 'json', opts: RequestOptions = {}): Promise<Blob> {
    const res = await this.#send(`/api/exports/${encodeURIComponent(id)}/metadata?format=${format}`, { signal: opts.signal }, format === 'md' ? 'text/markdown' : 'application/json');
    return res.blob();
  }

  /** Static JSON shipped with the client (map outlines); same origin, no token needed. */
  async asset<T = unknown>(url: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.#transport(url, { signal: opts.signal, headers: { Accept: 'application/json' } });
    if (!res.ok) throw new ApiError({ status: res.status, title: 'Asset missing', detail: `Could not load ${url}`, path: url });
    return (await res.json()) as T;
  }
}
