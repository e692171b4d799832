import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Clock } from '../../shared/clock.ts';
import { HttpError } from '../../shared/http/errors.ts';
import { sendError } from './errors.ts';
import type { LiffUser } from './auth.ts';

export interface RateLimit {
  /** Bucket name: `write`, `upload`. */
  name: string;
  /** Requests allowed per window per user. */
  max: number;
  windowSec: number;
}

export const DEFAULT_LIMITS: { write: RateLimit; upload: RateLimit } = {
  write: { name: 'write', max: 20, windowSec: 60 },
  upload: { name: 'upload', max: 30, windowSec: 600 },
};

/**
 * Fixed-window limit per LINE user in Redis (INCR + EXPIRE on `<prefix>:rl:<bucket>:<user>:<window>`),
 * so every web process shares the count. Over the limit: 429 with `Retry-After` (seconds to the next window).
 */
export function rateLimit(redis: Redis, prefix: string, clock: Clock, limit: RateLimit): RequestHandler {
  return async (_req, res, next) => {
    const user = res.locals.user as LiffUser | undefined;
    if (!user) return next();
    try {
      const nowSec = clock.now().getTime() / 1000;
      const window = Math.floor(nowSec / limit.windowSec);
      const key = `${prefix}:rl:${limit.name}:${user.userId}:${window}`;
      const [[, count]] = (await redis.multi().incr(key).expire(key, limit.windowSec + 5).exec()) as [[Error | null, number]];
      if (count > limit.max) {
        const retryAfterSec = Math.max(1, Math.ceil((window + 1) * limit.windowSec - nowSec));
        return sendError(res, new HttpError(429,
          `ส่งคำขอถี่เกินไป กรุณารอ ${retryAfterSec} วินาทีแล้วลองใหม่`, `Too many requests; please wait ${retryAfterSec} s and try again.`, { retryAfterSec }));
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
