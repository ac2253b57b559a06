import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { sendProblem } from './problem.ts';

export const JSON_BODY_LIMIT = '16kb';
/** Far more than any body the API takes (an export request is two levels deep). */
export const MAX_JSON_DEPTH = 32;

/** How deeply `value` nests, counted without recursion (a 16 kB body can nest 8,000 deep). */
export function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth]);
    }
  }
  return max;
}

/**
 * JSON bodies: at most 16 kB, and at most MAX_JSON_DEPTH levels of arrays and objects. A deeper
 * body is a 400 here instead of a stack overflow (a 500) in whatever recurses over it later
 * (JSON.stringify, validation, the audit entry's canonical JSON).
 */
export function jsonBody(): RequestHandler[] {
  return [
    express.json({ limit: JSON_BODY_LIMIT }),
    (req: Request, res: Response, next: NextFunction) => {
      if (req.body !== undefined && nestingDepth(req.body) > MAX_JSON_DEPTH) {
        // Nothing later may recurse over it (the export route summarises refused bodies).
        req.body = undefined;
        sendProblem(res, 400, `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`, { param: 'body' });
        return;
      }
      next();
    },
  ];
}
