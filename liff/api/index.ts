/**
 * `/liff/api`: the LIFF mini-app's API (contract: liff/API.md). Every route is declared in the
 * registry (registry.ts), which mounts it behind ID-token auth, per-user rate limits and zod
 * validation, and generates `GET /liff/api/openapi.json` from the same schemas.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { createIdTokenVerifier, requireUser } from './auth.ts';
import { notFound } from '../../shared/http/errors.ts';
import { apiErrorHandler, sendError } from './errors.ts';
import { DEFAULT_LIMITS, rateLimit } from './rateLimit.ts';
import { ApiRoutes, openApiDocument } from './registry.ts';
import { citizenRoutes } from './routes/citizen.ts';
import { myDataRoutes } from './routes/myData.ts';
import { officerRoutes } from './routes/officer.ts';
import { officerActionRoutes } from './routes/officerActions.ts';
import { officerRelatedRoutes } from './routes/officerRelated.ts';
import { referenceRoutes } from './routes/reference.ts';
import type { LiffApiDeps } from './support.ts';

export type { LiffApiDeps } from './support.ts';
export const LIFF_API_BASE = '/liff/api';

export function createLiffApi(deps: LiffApiDeps): Router {
  const verify = createIdTokenVerifier({
    verifyUrl: `${deps.config.LINE_API_BASE_URL.replace(/\/+$/, '')}/oauth2/v2.1/verify`,
    channelId: deps.config.LINE_LOGIN_CHANNEL_ID,
    clock: deps.clock,
    log: deps.log,
  });
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const api = new ApiRoutes({
    auth: requireUser(verify),
    limits: {
      write: rateLimit(deps.redis, deps.config.QUEUE_PREFIX, deps.clock, limits.write),
      upload: rateLimit(deps.redis, deps.config.QUEUE_PREFIX, deps.clock, limits.upload),
    },
  });

  referenceRoutes(api, deps);
  citizenRoutes(api, deps);
  myDataRoutes(api, deps);
  officerRoutes(api, deps);
  officerActionRoutes(api, deps);
  officerRelatedRoutes(api, deps);

  let openapi: string | undefined;
  const document = () => (openapi ??= JSON.stringify(openApiDocument(api.specs, LIFF_API_BASE, {
    title: 'Rongrian LIFF API',
    version: '1.0.0',
    description: 'The API of the Rongrian LIFF mini-app (ศูนย์ดำรงธรรม complaint desk). Contract: liff/API.md. Generated from the zod schemas the server validates with.',
  })));

  api.add({
    operationId: 'getOpenApi', method: 'get', path: '/openapi.json', tags: ['meta'], public: true,
    summary: 'This document (OpenAPI 3.1), generated from the schemas the server validates with',
    success: { status: 200, description: 'OpenAPI document', schema: z.looseObject({ openapi: z.string() }) },
  }, async ({ res }) => {
    res.setHeader('cache-control', 'no-cache');
    res.status(200).type('application/json; charset=utf-8').send(document());
    return undefined;
  });

  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  router.use(api.router);
  router.use((_req, res) => sendError(res, notFound()));
  router.use(apiErrorHandler(deps.log));
  return router;
}

