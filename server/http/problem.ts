import type { Response } from 'express';
import { setAuditDetails, type AuditDetails } from '../audit/middleware.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error the client caused or may see; `param` names the offending request parameter. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(readonly status: number, readonly detail: string, readonly param?: string) {
    super(detail);
  }
}

export function badRequest(param: string, detail: string): HttpProblem {
  return new HttpProblem(400, detail, param);
}

/**
 * RFC 9457 problem details, the only error shape the API sends. The detail also goes into the
 * request's audit entry (when the handler has not given a more specific one), so every refusal
 * on record says why.
 */
export function sendProblem(res: Response, status: number, detail: string, extra: Record<string, unknown> = {}): void {
  if (!(res.locals.audit as AuditDetails | undefined)?.detail) setAuditDetails(res, { detail: detail.slice(0, 300) });
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra }));
}
