import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../shared/logger.ts';
import { sendJson } from '../shared/http.ts';

/**
 * Failures a partner can act on. GeoReport v2 clients expect its error shape
 * (`[{"code":400,"description":"…"}]`); our own API answers `{"error":{code,message:{th,en},fields}}`.
 */
export type ErrorStyle = 'open311' | 'v1';

export interface FieldError { path: string; message: string }

export class ExchangeError extends Error {
  status: number;
  th: string;
  en: string;
  fields?: FieldError[];
  constructor(status: number, th: string, en: string, fields?: FieldError[]) {
    super(en);
    this.status = status;
    this.th = th;
    this.en = en;
    this.fields = fields;
  }
}

const CODE: Record<number, string> = {
  400: 'validation_failed', 401: 'unauthorized', 404: 'not_found', 406: 'not_acceptable',
  409: 'conflict', 413: 'payload_too_large', 429: 'rate_limited', 415: 'unsupported_media_type', 500: 'internal',
};

export const unauthorized = () => new ExchangeError(401, 'ไม่มี API key หรือ key ไม่ถูกต้อง/ถูกเพิกถอนแล้ว', 'Missing, invalid or revoked API key.');
export const notFound = () => new ExchangeError(404, 'ไม่พบข้อมูลนี้', 'Not found.');
export const badRequest = (fields: FieldError[], en = 'Some parameters are not valid.', th = 'ข้อมูลไม่ถูกต้อง') => new ExchangeError(400, th, en, fields);
export const rateLimited = (retryAfterSec: number) => Object.assign(
  new ExchangeError(429, `ส่งคำขอถี่เกินไป กรุณารอ ${retryAfterSec} วินาที`, `Too many requests for this API key; retry in ${retryAfterSec} s.`),
  { retryAfterSec },
);
export const xmlNotSupported = () => new ExchangeError(406, 'รองรับเฉพาะรูปแบบ JSON (.json) เท่านั้น', 'Only the JSON format is supported: use the .json URL.');

/** zod issues → per-field messages (unknown keys, `$gt` and friends, each named). */
export function zodFields(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const i of issues) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: [...i.path, k.slice(0, 60)].join('.'), message: 'unknown parameter (ไม่รู้จักพารามิเตอร์นี้)' });
      continue;
    }
    out.push({ path: i.path.map(String).join('.'), message: i.message });
  }
  return out.slice(0, 50);
}

export function sendError(res: Response, style: ErrorStyle, err: ExchangeError): void {
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'ApiKey realm="rongrian-partners"');
  const retry = (err as { retryAfterSec?: number }).retryAfterSec;
  if (retry !== undefined) res.setHeader('Retry-After', String(retry));
  const fields = err.fields?.length ? err.fields : undefined;
  if (style === 'open311') {
    const detail = fields ? `: ${fields.map((f) => `${f.path || 'body'} ${f.message}`).join('; ')}` : '';
    sendJson(res, err.status, [{ code: err.status, description: `${err.en}${detail} (${err.th})` }]);
    return;
  }
  sendJson(res, err.status, { error: { code: CODE[err.status] ?? 'error', message: { th: err.th, en: err.en }, ...(fields ? { fields } : {}) } });
}

/** Status of every failure in one place: ours as given, body-parser's by status, anything else 500 (logged). */
export function exchangeErrorHandler(log: Logger, styleOf: (path: string) => ErrorStyle): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) { res.end(); return; }
    const style = styleOf(req.path);
    if (err instanceof ExchangeError) return sendError(res, style, err);
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status === 413) return sendError(res, style, new ExchangeError(413, 'ข้อมูลใหญ่เกินกำหนด', 'The body is too large.'));
    if (status === 415) return sendError(res, style, new ExchangeError(415, 'ชนิดข้อมูลไม่รองรับ', 'Unsupported content encoding or type.'));
    if (status >= 400 && status < 500) {
      const parse = err?.type === 'entity.parse.failed';
      return sendError(res, style, new ExchangeError(400, parse ? 'ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง' : 'คำขอไม่ถูกต้อง', parse ? 'The body is not valid JSON.' : 'Bad request.'));
    }
    log.error({ err }, 'exchange api: unhandled error');
    sendError(res, style, new ExchangeError(500, 'ระบบขัดข้อง กรุณาลองใหม่', 'Internal error; please retry.'));
  };
}
