import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HttpProblem, sendProblem } from './problem.ts';
import { setAuditDetails } from '../audit/middleware.ts';

interface StatusError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Messages for errors raised by Express middleware itself (body parser, static). */
const KNOWN: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'entity.too.large': 'The request body is larger than 16 kB.',
  'encoding.unsupported': 'The request body encoding is not supported.',
  'charset.unsupported': 'The request body charset is not supported.',
};

/**
 * Last handlers: our HttpProblems become problem+json with their parameter; 4xx from Express
 * middleware keep their status with a fixed message; anything else is a 500 with an error id,
 * logged with detail (the client never sees a stack or SQL).
 */
export function installErrorHandlers(app: Express, logger: Logger): void {
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpProblem) {
      sendProblem(res, err.status, err.detail, err.param ? { param: err.param } : {});
      return;
    }
    const e = (err ?? {}) as StatusError;
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) {
      sendProblem(res, status, (e.type && KNOWN[e.type]) ?? 'The request could not be processed.');
      return;
    }
    const errorId = randomUUID();
    logger.error({ err, errorId, method: req.method, path: req.path }, 'request failed');
    // The audit entry carries the id, so an auditor can find the server log's detail.
    setAuditDetails(res, { detail: `server error, id ${errorId}` });
    sendProblem(res, 500, 'Something went wrong on our side. Quote the error id if you report it.', { errorId });
  });
}
