/**
 * Dashboard sign-in with LINE Login v2.1 (OAuth 2.0 authorization-code flow, `state` + `nonce` +
 * PKCE S256) and the session cookie it leaves. The ID token from the token endpoint is verified by
 * LINE's verify endpoint (as liff/api/auth.ts does for LIFF), with the nonce we sent; only an
 * active officer (Officer collection) gets a session.
 *
 * Other routers (/api/reports, /admin/queues) take `authenticate(req)`: use
 * `createDashboardAuthenticate` (or `rt.dashboardAuthenticate` from app/runtime.ts) — it reads the
 * same cookie and returns the caller's `Principal`, or null.
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import {
  LOGIN_COOKIE, LOGIN_TTL_MS, SESSION_COOKIE, SESSION_TTL_MS, clearCookie, csrfToken, readCookie, sameToken, seal, sessionKey, setCookie, unseal,
  type LoginPayload, type SessionPayload,
} from './session.ts';
import { errorPage } from './html.ts';
import { isSignedOut, recordSignOut } from './signouts.ts';

export type DashboardAuthenticate = (req: Request) => Promise<Principal | null>;

/** The session as the dashboard's own pages need it: the principal and the CSRF token for its forms. */
export interface DashboardSession { principal: Extract<Principal, { kind: 'officer' }>; csrf: string; sessionId: string }

export type AuthConfig = Pick<Config, 'LINE_LOGIN_CHANNEL_ID' | 'LINE_LOGIN_CHANNEL_SECRET' | 'LINE_LOGIN_BASE_URL' | 'LINE_API_BASE_URL' | 'DASHBOARD_SESSION_SECRET' | 'PUBLIC_BASE_URL'>;

const ISSUER = 'https://access.line.me';
export const DASHBOARD_BASE = '/dashboard';

/** LINE Login's authorization page: access.line.me for the real platform, the simulator otherwise. */
export function authorizeUrlOf(config: Pick<Config, 'LINE_LOGIN_BASE_URL' | 'LINE_API_BASE_URL'>): string {
  const base = config.LINE_LOGIN_BASE_URL || (new URL(config.LINE_API_BASE_URL).host === 'api.line.me' ? 'https://access.line.me' : config.LINE_API_BASE_URL);
  return new URL('/oauth2/v2.1/authorize', base).toString();
}

/** Reads the session cookie: the officer it names must still exist, be active and have the same LINE id. */
export function createDashboardSessionReader(deps: { models: Models; clock: Clock; config: Pick<Config, 'DASHBOARD_SESSION_SECRET'> }) {
  const key = sessionKey(deps.config.DASHBOARD_SESSION_SECRET);
  return async function readSession(req: Request): Promise<DashboardSession | null> {
    const s = unseal<SessionPayload>(key, readCookie(req, SESSION_COOKIE));
    if (!s || typeof s.o !== 'string' || typeof s.u !== 'string' || typeof s.s !== 'string' || typeof s.exp !== 'number') return null;
    if (s.exp <= deps.clock.now().getTime() || !/^[0-9a-f]{24}$/.test(s.o)) return null;
    const [officer, signedOut] = await Promise.all([deps.models.Officer.findById(s.o).lean(), isSignedOut(deps.models, s.s)]);
    if (signedOut) return null;
    if (!officer || !officer.active || officer.lineUserId !== s.u) return null;
    return {
      principal: { kind: 'officer', officerId: String(officer._id), lineUserId: officer.lineUserId, name: officer.name ?? '', unitCode: officer.unitCode, role: officer.role as 'officer' },
      csrf: csrfToken(key, s.s),
      sessionId: s.s,
    };
  };
}

/** `authenticate(req)` for any router that accepts dashboard sessions (e.g. /api/reports, /admin/queues). */
export function createDashboardAuthenticate(deps: { models: Models; clock: Clock; config: Pick<Config, 'DASHBOARD_SESSION_SECRET'> }): DashboardAuthenticate {
  const read = createDashboardSessionReader(deps);
  return async (req) => (await read(req))?.principal ?? null;
}

/** Only same-site paths under /dashboard are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/dashboard(\/[^\\]*)?$/.test(next) && !next.startsWith('//') ? next : `${DASHBOARD_BASE}/`;
}

export interface LoginRouterDeps {
  models: Models;
  clock: Clock;
  log: Logger;
  config: AuthConfig;
}

/** /dashboard/login, /dashboard/auth/callback, /dashboard/logout. */
export function loginRouter(deps: LoginRouterDeps): Router {
  const key = sessionKey(deps.config.DASHBOARD_SESSION_SECRET);
  const readSession = createDashboardSessionReader(deps);
  const r = express.Router();
  const enabled = () => !!(deps.config.LINE_LOGIN_CHANNEL_ID && deps.config.LINE_LOGIN_CHANNEL_SECRET);

  r.get('/login', (req, res) => {
    if (!enabled()) {
      return errorPage(res, 503, 'ยังไม่ได้ตั้งค่า LINE Login', 'LINE Login is not configured: set LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET.');
    }
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    const verifier = randomBytes(48).toString('base64url'); // 64 characters, inside PKCE's 43–128
    // A deployment's https PUBLIC_BASE_URL names the callback; locally (http) it is the host the browser
    // used. Either way LINE accepts only a callback URL registered for the channel.
    const base = deps.config.PUBLIC_BASE_URL.startsWith('https://') ? deps.config.PUBLIC_BASE_URL.replace(/\/+$/, '') : `${req.protocol}://${req.get('host')}`;
    const redirectUri = `${base}${DASHBOARD_BASE}/auth/callback`;
    const login: LoginPayload = { state, nonce, verifier, redirectUri, next: safeNext(req.query.next), exp: deps.clock.now().getTime() + LOGIN_TTL_MS };
    setCookie(req, res, LOGIN_COOKIE, seal(key, login), { maxAgeMs: LOGIN_TTL_MS, path: `${DASHBOARD_BASE}/auth`, publicBaseUrl: deps.config.PUBLIC_BASE_URL });
    const url = new URL(authorizeUrlOf(deps.config));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: deps.config.LINE_LOGIN_CHANNEL_ID,
      redirect_uri: redirectUri,
      state,
      scope: 'openid profile',
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    res.redirect(302, url.toString());
  });

  r.get('/auth/callback', async (req, res, next) => {
    try {
      const login = unseal<LoginPayload>(key, readCookie(req, LOGIN_COOKIE));
      clearCookie(res, LOGIN_COOKIE, `${DASHBOARD_BASE}/auth`);
      const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : '');
      if (!login || login.exp <= deps.clock.now().getTime() || !q('state') || !sameToken(q('state'), login.state)) {
        return errorPage(res, 400, 'การเข้าสู่ระบบหมดอายุหรือไม่ถูกต้อง กรุณาเริ่มใหม่', 'The sign-in expired or did not come from this browser; please sign in again.', true);
      }
      if (q('error')) {
        return errorPage(res, 401, 'ยกเลิกการเข้าสู่ระบบด้วย LINE แล้ว', 'LINE sign-in was cancelled or refused.', true);
      }
      if (!q('code') || q('code').length > 512) return errorPage(res, 400, 'ไม่ได้รับรหัสจาก LINE', 'LINE sent no authorization code.', true);

      const idToken = await exchangeCode(deps, q('code'), login);
      const claims = idToken ? await verifyIdToken(deps, idToken, login.nonce) : null;
      if (!claims) return errorPage(res, 401, 'ยืนยันตัวตนกับ LINE ไม่สำเร็จ', 'LINE could not confirm who you are; please sign in again.', true);

      const officer = await deps.models.Officer.findOne({ lineUserId: claims.sub, active: true }).lean();
      if (!officer) {
        deps.log.info({ event: 'dashboard_login_refused' }, 'dashboard sign-in by a LINE user who is not an active officer');
        return errorPage(res, 403, 'บัญชี LINE นี้ไม่ใช่เจ้าหน้าที่ที่ลงทะเบียนไว้', 'This LINE account is not a registered officer. Ask your centre for an invitation code and send “ลงทะเบียน <code>” to the bot first.', true);
      }
      const session: SessionPayload = { o: String(officer._id), u: officer.lineUserId, s: randomBytes(16).toString('base64url'), exp: deps.clock.now().getTime() + SESSION_TTL_MS };
      // Path / so the cookie also reaches /api/reports and /admin/queues on this host.
      setCookie(req, res, SESSION_COOKIE, seal(key, session), { maxAgeMs: SESSION_TTL_MS, path: '/', publicBaseUrl: deps.config.PUBLIC_BASE_URL });
      deps.log.info({ event: 'dashboard_login', officerId: String(officer._id), unitCode: officer.unitCode }, 'dashboard sign-in');
      res.redirect(303, safeNext(login.next));
    } catch (err) {
      if (err instanceof LineUnavailable) {
        res.setHeader('Retry-After', String(err.retryAfterSec));
        return errorPage(res, 503, 'LINE ไม่ว่างชั่วคราว กรุณารอสักครู่แล้วเข้าสู่ระบบใหม่', 'LINE is busy or unavailable for a moment; please wait and sign in again.', true);
      }
      next(err);
    }
  });

  r.post('/logout', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res, next) => {
    try {
      const s = await readSession(req);
      const token = typeof req.body?.csrf === 'string' ? req.body.csrf : '';
      if (s && !sameToken(token, s.csrf)) return errorPage(res, 403, 'คำขอไม่ถูกต้อง (CSRF)', 'The request did not come from the dashboard page.');
      // Ends the session everywhere, not just in this browser (a copied cookie is refused from now on).
      if (s) await recordSignOut(deps.models, s.sessionId, deps.clock.now());
      clearCookie(res, SESSION_COOKIE, '/');
      res.redirect(303, `${DASHBOARD_BASE}/signed-out`);
    } catch (err) {
      next(err);
    }
  });

  return r;
}

/** LINE answered 429 or 5xx: nothing is wrong with the sign-in, it should be retried later. */
class LineUnavailable extends Error {
  retryAfterSec: number;
  constructor(retryAfterSec: number) { super('LINE unavailable'); this.retryAfterSec = retryAfterSec; }
}

/** LINE's own Retry-After (seconds) when it sent one, within 1–300 s; otherwise 5 s. */
function lineRetryAfterSec(res: globalThis.Response): number {
  const n = Number(res.headers.get('retry-after'));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 300) : 5;
}

async function exchangeCode(deps: LoginRouterDeps, code: string, login: LoginPayload): Promise<string | null> {
  let res: globalThis.Response;
  try {
    res = await fetch(new URL('/oauth2/v2.1/token', deps.config.LINE_API_BASE_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code, redirect_uri: login.redirectUri,
        client_id: deps.config.LINE_LOGIN_CHANNEL_ID, client_secret: deps.config.LINE_LOGIN_CHANNEL_SECRET, code_verifier: login.verifier,
      }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    deps.log.error({ err: (err as Error).message }, 'LINE Login token endpoint unreachable');
    return null;
  }
  if (res.status === 429 || res.status >= 500) throw new LineUnavailable(lineRetryAfterSec(res));
  const body = (await res.json().catch(() => null)) as { id_token?: unknown; error?: unknown } | null;
  if (!res.ok || typeof body?.id_token !== 'string') {
    deps.log.warn({ status: res.status, error: typeof body?.error === 'string' ? body.error : undefined }, 'LINE Login code exchange refused');
    return null;
  }
  return body.id_token;
}

async function verifyIdToken(deps: LoginRouterDeps, idToken: string, nonce: string): Promise<{ sub: string; name?: string } | null> {
  const res = await fetch(new URL('/oauth2/v2.1/verify', deps.config.LINE_API_BASE_URL), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_token: idToken, client_id: deps.config.LINE_LOGIN_CHANNEL_ID, nonce }),
    signal: AbortSignal.timeout(5000),
  }).catch(() => null);
  if (res && (res.status === 429 || res.status >= 500)) throw new LineUnavailable(lineRetryAfterSec(res));
  if (!res?.ok) return null;
  const c = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  // LINE checked signature, expiry, audience and nonce; checked again so a misconfigured verifier cannot let a foreign token in.
  if (!c || typeof c.sub !== 'string' || !/^U[0-9a-f]{32}$/.test(c.sub)) return null;
  if (c.iss !== ISSUER || c.aud !== deps.config.LINE_LOGIN_CHANNEL_ID || c.nonce !== nonce) return null;
  if (typeof c.exp !== 'number' || c.exp * 1000 <= deps.clock.now().getTime()) return null;
  return { sub: c.sub, ...(typeof c.name === 'string' ? { name: c.name } : {}) };
}
