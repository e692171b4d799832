/**
 * The data exchange: Open311 GeoReport v2 at /open311/v2 and our JSON API at /api/v1,
 * both behind partner API keys, both described by one OpenAPI document (/open311/openapi.json,
 * also at /api/v1/openapi.json) generated from the zod schemas the handlers validate with.
 */
import express, { type Router } from 'express';
import type { DomainDeps } from '../shared/cases/deps.ts';
import type { Logger } from '../shared/logger.ts';
import type { ApiKeyAuthenticate } from './auth.ts';
import { createApiKeyAuthenticator } from './auth.ts';
import type { Redis } from 'ioredis';
import { notFound } from '../shared/http/errors.ts';
import { exchangeErrorHandler, publicRateLimited, rateLimited, sendError, xmlNotSupported } from './errors.ts';
import { initExchangeModels } from '../shared/partners/models.ts';
import { OPEN311_BASE, open311Routes } from './open311.ts';
import { PARTNER_API_BASE, partnerApiRoutes } from './partnerApi.ts';
import { ExchangeRoutes, openApiDocument, type Limiter, type PublicLimiter } from './registry.ts';

export { createApiKeyAuthenticator, type ApiKeyAuthenticate } from './auth.ts';

export interface ExchangeDeps extends DomainDeps {
  log: Logger;
  publicBaseUrl: string;
  /** Default: API keys from the database (exchange/apiKeys.ts). */
  authenticate?: ApiKeyAuthenticate;
  /** Per-key request budget per minute, counted in Redis (shared by every web process). */
  rateLimit?: { redis: Redis; prefix: string; perMinute: number; publicPerMinute?: number };
  /** Called for each keyless GeoReport read let through (a /metrics counter). */
  onPublicRead?: () => void;
}

/** Keyless GeoReport reads per IP per minute: enough for a public map refreshing now and then, not for scraping. */
export const PUBLIC_READS_PER_MINUTE = 30;

/** Same fixed window for keyless reads, per client IP: `<prefix>:rl:public:<ip>:<minute>`. */
function publicLimiter(rl: NonNullable<ExchangeDeps['rateLimit']>, clock: ExchangeDeps['clock']): PublicLimiter {
  const budget = rl.publicPerMinute ?? PUBLIC_READS_PER_MINUTE;
  return async (ip) => {
    const nowSec = clock.now().getTime() / 1000;
    const window = Math.floor(nowSec / 60);
    const key = `${rl.prefix}:rl:public:${ip}:${window}`;
    const [[, used]] = (await rl.redis.multi().incr(key).expire(key, 65).exec()) as [[Error | null, number]];
    if (used > budget) throw publicRateLimited(Math.max(1, Math.ceil((window + 1) * 60 - nowSec)));
  };
}

/** Fixed one-minute window per key: INCRBY + EXPIRE on `<prefix>:rl:partner:<key>:<minute>`. */
export function partnerLimiter(rl: NonNullable<ExchangeDeps['rateLimit']>, clock: ExchangeDeps['clock']): Limiter {
  return async (apiKeyId, cost) => {
    const nowSec = clock.now().getTime() / 1000;
    const window = Math.floor(nowSec / 60);
    const key = `${rl.prefix}:rl:partner:${apiKeyId}:${window}`;
    const [[, used]] = (await rl.redis.multi().incrby(key, cost).expire(key, 65).exec()) as [[Error | null, number]];
    if (used > rl.perMinute) throw rateLimited(Math.max(1, Math.ceil((window + 1) * 60 - nowSec)));
  };
}

const styleOf = (path: string) => (path.startsWith('/open311') ? 'open311' as const : 'v1' as const);

export function createExchangeApi(deps: ExchangeDeps): Router {
  // Indexes of the key and subscription collections; the first request waits for nothing.
  initExchangeModels(deps.models.conn).catch((err) => deps.log.warn({ err: err.message }, 'exchange indexes not ready'));
  const authenticate = deps.authenticate ?? createApiKeyAuthenticator(deps.models, deps.clock);
  const limiter = deps.rateLimit ? partnerLimiter(deps.rateLimit, deps.clock) : undefined;
  const perIp = deps.rateLimit ? publicLimiter(deps.rateLimit, deps.clock) : undefined;
  const open311 = new ExchangeRoutes(authenticate, 'open311', limiter, async (ip) => {
    if (perIp) await perIp(ip);
    deps.onPublicRead?.();
  });
  const v1 = new ExchangeRoutes(authenticate, 'v1', limiter);
  open311Routes(open311, deps);
  partnerApiRoutes(v1, deps);

  let document: string | undefined;
  const openapi = () => (document ??= JSON.stringify(openApiDocument([open311, v1], {
    title: 'Rongrian data exchange API (Open311 GeoReport v2 + partner API)',
    version: '1.0.0',
    description: 'For partner agencies of the ศูนย์ดำรงธรรม complaint centres. GeoReport reads (requests.json, requests/{id}.json) answer without a key too, with the public view only (no description, no pin, area to the district), rate-limited per IP. Every other call but discovery, services and this document needs an API key (X-Api-Key header, Bearer, or api_key). Keys are scoped to a unit and the units under it. The pin and the description go only to the unit holding a place-bound case (or the key that filed it), never for anonymous complaints, complaints about officials, disputes or debts; see each field. No personal data of complainants is ever returned. Every keyed read is audited. Webhooks: see docs/api.md (X-Rongrian-Signature).',
  })));

  const router = express.Router();
  router.use((req, res, next) => {
    if (!req.path.startsWith('/open311') && !req.path.startsWith(PARTNER_API_BASE)) return next('router');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  for (const path of ['/open311/openapi.json', `${PARTNER_API_BASE}/openapi.json`]) {
    router.get(path, (_req, res) => void res.status(200).type('application/json; charset=utf-8').send(openapi()));
  }
  // GeoReport v2 also defines XML; we serve JSON only, and say so instead of a puzzling 404.
  router.use(OPEN311_BASE, (req, res, next) => (req.path.endsWith('.xml') ? sendError(res, 'open311', xmlNotSupported()) : next()));
  router.use(open311.router);
  router.use(v1.router);
  router.use((req, res) => sendError(res, styleOf(req.path), notFound()));
  router.use(exchangeErrorHandler(deps.log, styleOf));
  return router;
}
