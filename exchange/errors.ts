import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../shared/logger.ts';
import { sendJson } from '../shared/http/json.ts';
import { errorBody, errorHeaders, HttpError, httpErrorHandler } from '../shared/http/errors.ts';

/**
 * Failures a partner can act on (the shared HTTP error, shared/http/errors.ts). GeoReport v2
 * clients expect its error shape (`[{"code":400,"description":"…"}]`); our own API answers
 * `{"error":{code,message:{th,en},fields}}`.
 */
export type ErrorStyle = 'open311' | 'v1';

export interface FieldError { path: string; message: string }

/** A failure of the partner API: fields carry one message each. */
export type ExchangeError = HttpError<FieldError>;

export const unauthorized = () => new HttpError(401, 'ไม่มี API key หรือ key ไม่ถูกต้อง/ถูกเพิกถอนแล้ว', 'Missing, invalid or revoked API key.');
export const badRequest = (fields: FieldError[], en = 'Some parameters are not valid.', th = 'ข้อมูลไม่ถูกต้อง'): ExchangeError => new HttpError(400, th, en, { fields });
export const rateLimited = (retryAfterSec: number) =>
  new HttpError(429, `ส่งคำขอถี่เกินไป กรุณารอ ${retryAfterSec} วินาที`, `Too many requests for this API key; retry in ${retryAfterSec} s.`, { retryAfterSec });
export const publicRateLimited = (retryAfterSec: number) =>
  new HttpError(429, `ส่งคำขอถี่เกินไป กรุณารอ ${retryAfterSec} วินาที หรือขอ API key จากศูนย์ดำรงธรรม`, `Too many requests without an API key from this address; retry in ${retryAfterSec} s, or ask the centre for a key.`, { retryAfterSec });
export const xmlNotSupported = () => new HttpError(406, 'รองรับเฉพาะรูปแบบ JSON (.json) เท่านั้น', 'Only the JSON format is supported: use the .json URL.');

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

export function sendError(res: Response, style: ErrorStyle, err: HttpError): void {
  errorHeaders(res, err, 'ApiKey realm="rongrian-partners"');
  if (style === 'open311') {
    const fields = err.fields?.length ? (err.fields as FieldError[]) : undefined;
    const detail = fields ? `: ${fields.map((f) => `${f.path || 'body'} ${f.message}`).join('; ')}` : '';
    sendJson(res, err.status, [{ code: err.status, description: `${err.en}${detail} (${err.th})` }]);
    return;
  }
  sendJson(res, err.status, errorBody(err));
}

/** Every failure of the exchange, in the style of the API it hit (shared/http/errors.ts decides the status). */
export function exchangeErrorHandler(log: Logger, styleOf: (path: string) => ErrorStyle): ErrorRequestHandler {
  return httpErrorHandler(log, 'exchange api', {
    tooLarge: () => new HttpError(413, 'ข้อมูลใหญ่เกินกำหนด', 'The body is too large.'),
    unsupportedMedia: () => new HttpError(415, 'ชนิดข้อมูลไม่รองรับ', 'Unsupported content encoding or type.'),
    badJson: () => new HttpError(400, 'ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง', 'The body is not valid JSON.'),
    badRequest: () => new HttpError(400, 'คำขอไม่ถูกต้อง', 'Bad request.'),
    internal: () => new HttpError(500, 'ระบบขัดข้อง กรุณาลองใหม่', 'Internal error; please retry.'),
  }, (req, res, err) => sendError(res, styleOf(req.path), err));
}
