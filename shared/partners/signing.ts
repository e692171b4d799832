/**
 * Signing of partner webhook bodies: HMAC-SHA256 over `<timestamp>.<body>` with the subscription's
 * secret. The exchange documents it to partners; the delivery worker signs at send time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Rongrian-Signature';
/** A receiver should refuse signatures older than this (replays). */
export const SIGNATURE_TOLERANCE_SEC = 300;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function signBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does (README has the same in a few lines): recompute, compare in constant time, check the age. */
export function verifySignature(secret: string, body: string, header: string | undefined, nowSec = Math.floor(Date.now() / 1000)): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowSec - t) > SIGNATURE_TOLERANCE_SEC) return false;
  const expected = Buffer.from(signBody(secret, body, t).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}
