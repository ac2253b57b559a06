import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context.ts';
import type { AuditEvent } from './chain.ts';

/** What a handler tells the audit middleware about the response it sent. */
export interface AuditDetails {
  params?: Record<string, unknown>;
  rows?: number;
  suppressed?: { primary: number; secondary: number };
  exportId?: string;
  detail?: string;
}

/** Handlers call this before sending data, so the entry carries validated params and row counts. */
export function setAuditDetails(res: Response, details: AuditDetails): void {
  res.locals.audit = { ...(res.locals.audit as AuditDetails | undefined), ...details };
}

/** A bounded copy of the raw query string, for requests that never reached validation. */
function rawParams(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query).slice(0, 20)) {
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
 * Records every request it sees once the response has finished: who (token's user and role),
 * when, which endpoint, the validated parameters (from setAuditDetails, else the raw query),
 * rows and suppressed cells, and the outcome. Mount it before the role check so refusals are
 * recorded too. Appending happens after the response is sent, so it adds no latency.
 */
export function auditDownloads(ctx: Pick<AppContext, 'audit' | 'logger'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const audit = ctx.audit;
    if (!audit) {
      next();
      return;
    }
    res.on('finish', () => {
      const d = (res.locals.audit as AuditDetails | undefined) ?? {};
      const event: AuditEvent = {
        user: req.user?.name ?? null,
        role: req.user?.role ?? null,
        method: req.method,
        // originalUrl: baseUrl/path are rewritten while routers run and restored afterwards.
        endpoint: req.originalUrl.split('?')[0]!.slice(0, 200),
        params: d.params ?? rawParams(req),
        status: res.statusCode,
        outcome: outcomeOf(res.statusCode),
        rows: d.rows,
        suppressed: d.suppressed,
        exportId: d.exportId,
        detail: d.detail,
      };
      audit.append(event as unknown as Record<string, unknown>).catch((err: unknown) => ctx.logger.error({ err }, 'audit append failed'));
    });
    next();
  };
}
