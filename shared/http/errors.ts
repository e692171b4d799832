/**
 * The one error type of our HTTP APIs (the LIFF API and the partner API): a status, a stable code,
 * a message in Thai and English, and optional per-field details. Each API decides how it writes the
 * body (the LIFF contract, our partner JSON, GeoReport v2's array) and which header 401 carries.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from '../logger.ts';

/** The error codes of the contracts (liff/API.md, docs/api.md), by status. */
export const ERROR_CODES = {
  400: 'validation_failed', 401: 'unauthorized', 404: 'not_found', 406: 'not_acceptable',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 500: 'internal',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class HttpError<F = unknown> extends Error {
  status: number;
  code: ErrorCode;
  th: string;
  en: string;
  fields?: F[];
  retryAfterSec?: number;
  constructor(status: number, th: string, en: string, extra: { fields?: F[]; retryAfterSec?: number; code?: ErrorCode } = {}) {
    super(en);
    this.status = status;
    this.code = extra.code ?? (ERROR_CODES as Record<number, ErrorCode>)[status] ?? 'internal';
    this.th = th;
    this.en = en;
    this.fields = extra.fields;
    this.retryAfterSec = extra.retryAfterSec;
  }
}

export const notFound = () => new HttpError(404, 'ไม่พบข้อมูลนี้', 'Not found.');
export const conflict = (th: string, en: string) => new HttpError(409, th, en);

/** `{"error":{code,message:{th,en},fields?}}`, the body both our JSON APIs answer a failure with. */
export function errorBody(err: HttpError): { error: { code: string; message: { th: string; en: string }; fields?: unknown[] } } {
  return { error: { code: err.code, message: { th: err.th, en: err.en }, ...(err.fields?.length ? { fields: err.fields } : {}) } };
}

/** Retry-After for a rate limit; the API's own challenge for a 401. */
export function errorHeaders(res: Response, err: HttpError, authenticateChallenge: string): void {
  if (err.retryAfterSec !== undefined) res.setHeader('Retry-After', String(err.retryAfterSec));
  if (err.status === 401) res.setHeader('WWW-Authenticate', authenticateChallenge);
}

/** How an API words the failures that do not come from its own code (body parser, express, bugs). */
export interface FallbackErrors {
  tooLarge(): HttpError;
  unsupportedMedia(): HttpError;
  badJson(): HttpError;
  badRequest(): HttpError;
  internal(): HttpError;
}

/**
 * HTTP status of every failure, in one place: HttpError as given; body-parser and express errors by
 * their status (a bad JSON body is a validation failure); anything else is a 500, logged.
 */
export function httpErrorHandler(log: Logger, label: string, words: FallbackErrors, send: (req: Request, res: Response, err: HttpError) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) { res.end(); return; }
    if (err instanceof HttpError) return send(req, res, err);
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status === 413) return send(req, res, words.tooLarge());
    if (status === 415) return send(req, res, words.unsupportedMedia());
    if (status >= 400 && status < 500) return send(req, res, err?.type === 'entity.parse.failed' ? words.badJson() : words.badRequest());
    log.error({ err }, `${label}: unhandled error`);
    send(req, res, words.internal());
  };
}
