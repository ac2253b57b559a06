import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthStore } from './auth-store.ts';
import type { AuthUser, Role } from './roles.ts';
import { sendProblem } from '../http/problem.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate`; present on every route behind `requireRole`. */
    user?: AuthUser;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,200})$/;

/** Resolves the bearer token (if any) to `req.user`; never rejects by itself. */
export function authenticate(auth: AuthStore): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const m = header ? BEARER.exec(header) : null;
    const user = m ? auth.authenticate(m[1]!) : null;
    if (user) req.user = user;
    else delete req.user;
    next();
  };
}

/** 401 without a valid token, 403 when the user's role is not among `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      res.set('WWW-Authenticate', 'Bearer realm="lhcre-planner"');
      sendProblem(res, 401, req.get('authorization') ? 'The bearer token is not valid.' : 'Send Authorization: Bearer <token>.');
      return;
    }
    if (!roles.includes(req.user.role)) {
      sendProblem(res, 403, `The ${req.user.role} role may not use ${req.path}.`);
      return;
    }
    next();
  };
}
