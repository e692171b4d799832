/**
 * Signed cookies for the dashboard: `payload.base64url + "." + HMAC-SHA256`, checked in constant
 * time. The cookie holds ids and an expiry only — no personal data — and the officer is looked up
 * again on every request, so a deactivated officer is out at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'rg_dash';
export const LOGIN_COOKIE = 'rg_dash_login';
/** A working day plus margin: officers sign in each morning. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const LOGIN_TTL_MS = 10 * 60 * 1000;

let processKey: Buffer | undefined;

/**
 * The signing key: DASHBOARD_SESSION_SECRET, or one random key per process (sessions end at restart;
 * every part of one process — dashboard, /api/reports, /admin/queues — shares it).
 */
export function sessionKey(secret: string): Buffer {
  if (secret) return createHmac('sha256', 'rongrian-dashboard-session').update(secret).digest();
  return (processKey ??= randomBytes(32));
}

export function seal(key: Buffer, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export function unseal<T>(key: Buffer, value: string | undefined): T | null {
  if (!value || value.length > 4096) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const body = value.slice(0, dot);
  const want = createHmac('sha256', key).update(body).digest();
  const got = Buffer.from(value.slice(dot + 1), 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

/** Cookies of the request (no cookie-parser dependency: one header, split once). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try { return decodeURIComponent(part.slice(eq + 1).trim()); } catch { return undefined; }
    }
  }
  return undefined;
}

/** True when the deployment is reached over https: its cookies must never travel over plain http. */
export function httpsDeployment(publicBaseUrl: string): boolean {
  return /^https:\/\//i.test(publicBaseUrl);
}

export function setCookie(req: Request, res: Response, name: string, value: string, opts: { maxAgeMs: number; path: string; publicBaseUrl?: string }): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    // Secure on an https deployment even when the TLS proxy in front is not on loopback (so req.secure
    // is false), and whenever the request itself came over https.
    secure: req.secure || httpsDeployment(opts.publicBaseUrl ?? ''),
    path: opts.path,
    maxAge: opts.maxAgeMs,
  });
}

export function clearCookie(res: Response, name: string, path: string): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', path });
}

export interface SessionPayload {
  /** Officer document id. */
  o: string;
  /** LINE user id of the officer when signing in (must still match). */
  u: string;
  /** Session id: the CSRF token is derived from it. */
  s: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

export interface LoginPayload {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  /** Where to go after signing in (a /dashboard path). */
  next: string;
  exp: number;
}

/** The CSRF token of a session: bound to the session id, so it cannot be minted without the key. */
export function csrfToken(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionId}`).digest('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
