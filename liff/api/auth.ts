import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { HttpError } from '../../shared/http/errors.ts';
import { sendError, unauthorized } from './errors.ts';

/** Who is calling: taken only from the verified token's `sub`, never from a body, header or query. */
export interface LiffUser {
  /** LINE user id (`sub`). */
  userId: string;
  /** LINE display name (`name` claim), if the token carries it. */
  name?: string;
}

export interface IdTokenVerifierOptions {
  /** `{LINE_API_BASE_URL}/oauth2/v2.1/verify` */
  verifyUrl: string;
  /** LINE Login channel id: the only audience accepted. Empty: every token is refused. */
  channelId: string;
  clock: Clock;
  log: Logger;
  /** How long a verified token is trusted without asking LINE again (never past its `exp`). Default 60 s. */
  cacheMs?: number;
  /** Entries kept at most (oldest dropped first). Default 10,000. */
  maxEntries?: number;
}

const ISSUER = 'https://access.line.me';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Verifies LIFF ID tokens with LINE's verify endpoint and caches the answer briefly, keyed by a hash
 * of the token (the token itself is never kept). LINE checks signature, expiry and audience; the
 * answer is checked again here so a misconfigured verifier cannot let a foreign token through.
 */
export function createIdTokenVerifier(opts: IdTokenVerifierOptions) {
  const cacheMs = opts.cacheMs ?? 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const cache = new Map<string, { user: LiffUser; until: number }>();
  const inFlight = new Map<string, Promise<Verified | null>>();
  let warned = false;

  async function ask(token: string): Promise<Verified | null> {
    let res: Response;
    try {
      res = await fetch(opts.verifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id_token: token, client_id: opts.channelId }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      opts.log.error({ err: (err as Error).message }, 'LINE ID token verification unreachable');
      throw new HttpError(503, 'ยืนยันตัวตนกับ LINE ไม่ได้ชั่วคราว กรุณาลองใหม่', 'Could not reach LINE to verify the sign-in; please try again.');
    }
    // LINE busy or failing says nothing about the token: the person should wait and retry, not reopen from LINE.
    if (res.status === 429 || res.status >= 500) {
      opts.log.warn({ status: res.status }, 'LINE ID token verification unavailable');
      throw new HttpError(503, 'ยืนยันตัวตนกับ LINE ไม่ได้ชั่วคราว กรุณาลองใหม่', 'Could not reach LINE to verify the sign-in; please try again.', { retryAfterSec: lineRetryAfterSec(res) });
    }
    if (!res.ok) return null;
    const claims = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!claims || typeof claims.sub !== 'string' || !/^U[0-9a-f]{32}$/.test(claims.sub)) return null;
    if (claims.iss !== ISSUER || claims.aud !== opts.channelId) return null;
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    const now = opts.clock.now().getTime();
    if (exp <= now) return null;
    const user: LiffUser = { userId: claims.sub, ...(typeof claims.name === 'string' ? { name: claims.name } : {}) };
    return { user, until: Math.min(now + cacheMs, exp) };
  }

  return async function verify(token: string): Promise<LiffUser | null> {
    if (!opts.channelId) {
      if (!warned) { opts.log.warn('LINE_LOGIN_CHANNEL_ID is not set: every LIFF API call is refused'); warned = true; }
      return null;
    }
    if (token.length > 4096 || !TOKEN_SHAPE.test(token)) return null;
    const key = createHash('sha256').update(token).digest('base64url');
    const now = opts.clock.now().getTime();
    const hit = cache.get(key);
    if (hit) {
      if (hit.until > now) return hit.user;
      cache.delete(key);
    }
    let pending = inFlight.get(key);
    if (!pending) {
      pending = ask(token).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    const verified = await pending;
    if (!verified) return null;
    if (verified.until > opts.clock.now().getTime()) {
      cache.set(key, verified);
      while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    }
    return verified.user;
  };
}

interface Verified { user: LiffUser; until: number }

/** LINE's own Retry-After (seconds) when it sent one, within 1–300 s; otherwise 5 s. */
export function lineRetryAfterSec(res: Response): number {
  const n = Number(res.headers.get('retry-after'));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 300) : 5;
}

export type VerifyIdToken = ReturnType<typeof createIdTokenVerifier>;

/** `Authorization: Bearer <LINE ID token>` → `res.locals.user`; anything else → 401. */
export function requireUser(verify: VerifyIdToken): RequestHandler {
  return async (req, res, next) => {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    try {
      const user = m ? await verify(m[1]) : null;
      if (!user) return sendError(res, unauthorized());
      res.locals.user = user;
      next();
    } catch (err) {
      next(err);
    }
  };
}
