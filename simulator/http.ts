/**
 * Request plumbing shared by the simulator's API areas: the raw body as text, LINE's request log
 * (with `x-line-request-id`), and body validation against LINE's OpenAPI specs that answers like LINE.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { validateOperation } from './validator.ts';
import type { SimState } from './state.ts';

export function rawText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

function loggedBody(req: Request): unknown {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('json')) {
    try { return JSON.parse(req.body.toString('utf8')); } catch { return req.body.toString('utf8'); }
  }
  if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
  return { bytes: req.body.length, contentType: type };
}


/** Request log + LINE's x-line-request-id, on the LINE paths only (not the demo page). */
export function requestLog(s: SimState) {
  const { requests, now } = s;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/' || req.path.startsWith('/__sim/') || req.path.startsWith('/ui/')) return next();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-line-request-id', requestId);
    const end = res.end.bind(res);
    // Taken now: inside a router mounted at a path (the fault injector at /v2), req.path is relative.
    const path = req.path;
    // Logged just before the response leaves, so a test that awaited the call always sees it.
    res.end = ((...args: Parameters<Response['end']>) => {
      const retryKey = req.header('x-line-retry-key');
      requests.push({
        method: req.method, path, status: res.statusCode, body: loggedBody(req), at: now(),
        ...(retryKey !== undefined ? { retryKey } : {}), ...(res.locals.fault ? { fault: true } : {}),
      });
      return end(...args);
    }) as Response['end'];
    next();
  };
}

/** Parses + validates a JSON body for an operation; on failure answers like LINE and returns undefined. */
export function validBody(req: Request, res: Response, operationId: string): any {
  let body: unknown;
  try {
    body = JSON.parse(rawText(req));
  } catch {
    res.status(400).json({ message: 'The request body could not be parsed as JSON' });
    return undefined;
  }
  const result = validateOperation(operationId, body);
  if (!result.ok) {
    res.status(400).json({ message: result.message, details: result.details });
    return undefined;
  }
  return body;
}
