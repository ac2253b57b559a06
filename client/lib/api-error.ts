/**
 * An error from the API, carrying the server's own words (RFC 9457 problem+json `detail`) so the
 * views can show people what went wrong rather than a generic failure.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly title: string;
  readonly param: string | undefined;
  readonly errorId: string | undefined;
  readonly path: string;

  constructor(init: { status: number; title: string; detail: string; path: string; param?: string; errorId?: string; cause?: unknown }) {
    super(init.detail, { cause: init.cause });
    this.status = init.status;
    this.title = init.title;
    this.path = init.path;
    this.param = init.param;
    this.errorId = init.errorId;
  }

  /** Not built on the server yet (or not mounted): views say so rather than faking it. */
  get notAvailable(): boolean {
    return this.status === 404 || this.status === 501;
  }
}

interface Problem {
  title?: unknown;
  detail?: unknown;
  param?: unknown;
  errorId?: unknown;
}

/** Builds an ApiError from a failed response body; tolerates non-JSON bodies (e.g. a proxy's HTML). */
export function apiErrorFrom(status: number, statusText: string, contentType: string, body: string, path: string): ApiError {
  let problem: Problem = {};
  if (/json/.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object') problem = parsed as Problem;
    } catch {
      // fall through to the plain-text message
    }
  }
  const title = typeof problem.title === 'string' ? problem.title : statusText || `HTTP ${status}`;
  const errorId = typeof problem.errorId === 'string' ? problem.errorId : undefined;
  let detail = typeof problem.detail === 'string' ? problem.detail : '';
  if (!detail) detail = status >= 500 ? 'The server could not complete this request.' : title;
  if (errorId) detail = `${detail} (error reference ${errorId})`;
  return new ApiError({
    status,
    title,
    detail,
    path,
    param: typeof problem.param === 'string' ? problem.param : undefined,
    errorId,
  });
}
