import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context.ts';
import type { AuditEvent } from './chain.ts';
import { auditTarget, type AuditTarget } from './endpoint.ts';

/** What a handler tells the audit middleware about the response it sent. */
export interface AuditDetails {
  params?: Record<string, unknown>;
  rows?: number;
  suppressed?: { primary: number; secondary: number };
  exportId?: string;
  detail?: string;
}

/** Status recorded when the client went away before any response header was sent (nginx's "client closed request"). */
export const CLIENT_CLOSED = 499;

const CLOSED_EARLY = 'the client closed the connection before the response was complete';

/** One request's audit entry: written exactly once, by whichever comes first of the paths below. */
class RequestAudit {
  private written = false;
  private holds = 0;
  private closedEarly = false;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly target: AuditTarget,
    private readonly append: (event: AuditEvent) => Promise<void>,
  ) {}

  /** The response finished (every byte handed to the OS). */
  finished(): void {
    void this.write(this.res.statusCode, false).catch(() => undefined);
  }

  /** The connection closed; if the response had not finished, the client dropped it. */
  closed(): void {
    if (this.res.writableFinished || this.written) return;
    this.closedEarly = true;
    if (this.holds === 0) void this.write(this.res.headersSent ? this.res.statusCode : CLIENT_CLOSED, true).catch(() => undefined);
  }

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0 && this.closedEarly) void this.write(this.res.headersSent ? this.res.statusCode : CLIENT_CLOSED, true).catch(() => undefined);
    };
  }

  /** Writes the entry now with `status` (a creation that must be on record before it is answered). */
  now(status: number): Promise<void> {
    return this.write(status, false);
  }

  private write(status: number, aborted: boolean): Promise<void> {
    if (this.written) return Promise.resolve();
    this.written = true;
    const d = (this.res.locals.audit as AuditDetails | undefined) ?? {};
    const closedEarly = aborted || this.closedEarly || this.res.destroyed;
    const detail = closedEarly && !this.res.writableFinished ? [d.detail, CLOSED_EARLY].filter(Boolean).join('; ') : d.detail;
    const event: AuditEvent = {
      user: this.req.user?.name ?? null,
      role: this.req.user?.role ?? null,
      method: this.req.method,
      endpoint: this.target.endpoint,
      path: this.target.path,
      params: d.params ?? rawParams(this.req),
      status,
      // A refusal stays a refusal even if nobody read it; anything else cut short is `aborted`.
      outcome: aborted && (status < 400 || status === CLIENT_CLOSED) ? 'aborted' : outcomeOf(status),
      rows: d.rows,
      suppressed: d.suppressed,
      exportId: d.exportId ?? this.target.exportId,
      detail,
    };
    return this.append(event);
  }
}

const KEY = Symbol('request audit');

function stateOf(res: Response): RequestAudit | undefined {
  return (res.locals as Record<symbol, RequestAudit | undefined>)[KEY];
}

/** Handlers call this before sending data, so the entry carries validated params and row counts. */
export function setAuditDetails(res: Response, details: AuditDetails): void {
  res.locals.audit = { ...(res.locals.audit as AuditDetails | undefined), ...details };
}

/**
 * Keeps the entry open while the handler does work that must be on record (an export being
 * created): if the client drops the connection meanwhile, the entry waits for the release
 * instead of being written without the result. Returns the release function.
 */
export function holdAudit(res: Response): () => void {
  return stateOf(res)?.hold() ?? (() => undefined);
}

/**
 * Appends the request's entry now, with `status`, instead of when the response finishes; later
 * finish and close events add nothing. Export creation awaits this before answering, so an
 * export exists only with its audit entry, whether or not the client stays to read the answer.
 */
export function recordAuditNow(res: Response, status: number): Promise<void> {
  return stateOf(res)?.now(status) ?? Promise.resolve();
}

/** A bounded copy of the raw query string, for requests that never reached validation. */
function rawParams(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>).slice(0, 20)) {
    out[k.slice(0, 40)] = typeof v === 'string' ? v.slice(0, 200) : '(not a single value)';
  }
  return out;
}

export function outcomeOf(status: number): AuditEvent['outcome'] {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  if (status >= 500) return 'error';
  return 'rejected';
}

/**
 * Records every request under an audited area (`endpoint.ts`: demand, compare, forecast,
 * exports, audit), whatever answers it: a route, the role check, the body parser, the URL length
 * check, the 404 for an unknown subpath or the error handler. Mount it on the app before
 * anything that can answer a request. The entry is written once: when the response finishes, or
 * when the connection closes first (outcome `aborted`), or when a handler asks for it
 * (`recordAuditNow`). Who is read from `req.user` at that time, so mount `authenticate` before it
 * or anywhere on the way; appending after the response adds no latency.
 */
export function auditDataRequests(ctx: Pick<AppContext, 'audit' | 'logger'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const audit = ctx.audit;
    const target = audit ? auditTarget(req.originalUrl) : null;
    if (!audit || !target) {
      next();
      return;
    }
    const append = (event: AuditEvent) =>
      audit.append(event as unknown as Record<string, unknown>).catch((err: unknown) => {
        ctx.logger.error({ err, endpoint: event.endpoint, status: event.status }, 'audit append failed');
        throw err;
      });
    const state = new RequestAudit(req, res, target, append);
    (res.locals as Record<symbol, RequestAudit>)[KEY] = state;
    res.once('finish', () => state.finished());
    res.once('close', () => state.closed());
    next();
  };
}
