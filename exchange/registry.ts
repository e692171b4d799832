/**
 * The partner routes on the shared route registry (shared/http/registry.ts): bodies parsed first
 * (the key may be a form field), then the API key and its budget, then zod validation; the same
 * declarations give the OpenAPI document.
 */
import express from 'express';
import { z } from 'zod';
import { notFound } from '../shared/http/errors.ts';
import { jsonSchema } from '../shared/http/openapi.ts';
import { openApiPaths, RouteRegistry, type AnyObject, type BaseRouteSpec, type Handler as BaseHandler } from '../shared/http/registry.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { presentedKey, type ApiKeyAuthenticate } from './auth.ts';
import { badRequest, unauthorized, zodFields, type ErrorStyle } from './errors.ts';

export interface RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> extends BaseRouteSpec<P, Q, B> {
  /** Full express path, e.g. `/open311/v2/requests/:id.json`. */
  path: string;
  /** Open to anyone (discovery, services, the document itself). */
  public?: boolean;
  /**
   * Readable without a key too (GeoReport reads): no key → principal null and the public view,
   * charged to the caller's IP; a key that is presented must still be valid.
   */
  keyOptional?: boolean;
  /** Body schema; accepted as JSON and as application/x-www-form-urlencoded (GeoReport v2 clients post forms). */
  body?: B;
  success: {
    status: number; description: string; schema: z.ZodType; alsoStatus?: { status: number; description: string };
    /** OpenAPI links: operations that take a value of this answer (lets a stateful fuzzer follow a created case). */
    links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
  };
  /** Optional request headers, for the document only (the handler reads and checks them). */
  headers?: { name: string; description: string; pattern: string }[];
}

type Partner = Extract<Principal, { kind: 'partner' }>;
/** What a partner handler gets besides its input: the partner (a placeholder-free null only on public routes). */
export type Handler<P, Q, B> = BaseHandler<{ principal: Partner }, P, Q, B>;

/** Charges `cost` to a key's budget; throws a 429 when it is spent. */
export type Limiter = (apiKeyId: string, cost: number) => Promise<void>;
/** Charges one keyless read to the caller's IP; throws a 429 when its budget is spent. */
export type PublicLimiter = (ip: string) => Promise<void>;

/** Filing a case costs this many requests of the budget: it writes, routes and alerts people. */
export const WRITE_COST = 10;

const BODY_LIMIT = '64kb';
const jsonBody = express.json({ limit: BODY_LIMIT, strict: true });
const formBody = express.urlencoded({ limit: BODY_LIMIT, extended: false, parameterLimit: 50 });

export class ExchangeRoutes extends RouteRegistry<RouteSpec, { principal: Partner }> {
  readonly style: ErrorStyle;

  constructor(authenticate: ApiKeyAuthenticate, style: ErrorStyle, limit?: Limiter, publicLimit?: PublicLimiter) {
    super({
      before: (spec) => (spec.body ? [jsonBody, formBody] : []),
      context: async (req, _res, spec) => {
        if (spec.public) return { principal: null as unknown as Partner };
        if (spec.keyOptional && presentedKey(req) === undefined) {
          if (publicLimit) await publicLimit(req.ip ?? 'unknown');
          return { principal: null as unknown as Partner };
        }
        const principal = await authenticate(req);
        if (!principal || principal.kind !== 'partner') throw unauthorized();
        if (limit) await limit(principal.apiKeyId, spec.method === 'post' ? WRITE_COST : 1);
        return { principal };
      },
      notFound,
      invalid: (issues) => badRequest(zodFields(issues)),
    });
    this.style = style;
  }

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>, handler: Handler<z.output<P>, z.output<Q>, z.output<B>>): void {
    this.mount<P, Q, B>(spec as unknown as RouteSpec, handler);
  }
}

// ------------------------------------------------------------------------------------- OpenAPI

const ERROR_TEXT: Record<number, string> = {
  400: 'Validation failed (per-parameter messages)',
  401: 'Missing, invalid or revoked API key',
  404: 'Not found (also: outside the key\'s units)',
  406: 'Only JSON is served',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests for this API key, or without a key from this IP address (Retry-After says when to retry)',
};

/** OpenAPI 3.1 for the registered routes, from the zod schemas the handlers validate with. */
export function openApiDocument(groups: ExchangeRoutes[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const g of groups) {
    const errorRef = { $ref: g.style === 'open311' ? '#/components/schemas/Open311Error' : '#/components/schemas/Error' };
    const groupPaths = openApiPaths(g.specs, {
      impliedStatuses: (s) => [...(s.public ? [] : [401, 429]), ...(s.params ? [404] : []), ...(s.query ? [400] : []), ...(s.body ? [400, 413, 415] : [])],
      successResponses: (s) => {
        const success = {
          description: s.success.description,
          ...(s.success.links ? { links: s.success.links } : {}),
          content: { 'application/json': { schema: jsonSchema(s.success.schema, 'output') } },
        };
        return {
          [String(s.success.status)]: success,
          ...(s.success.alsoStatus ? { [String(s.success.alsoStatus.status)]: { ...success, description: s.success.alsoStatus.description } } : {}),
        };
      },
      errorResponse: (st) => ({ description: ERROR_TEXT[st] ?? 'Error', content: { 'application/json': { schema: errorRef } } }),
      security: (s) => (s.public ? [] : [{ apiKeyHeader: [] }, { apiKeyQuery: [] }, ...(s.keyOptional ? [{}] : [])]),
      extraParameters: (s) => (s.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string', pattern: h.pattern } })),
      requestBody: (s) => {
        const bodySchema = s.body ? jsonSchema(s.body, 'input') : undefined;
        return bodySchema ? { required: true, content: { 'application/x-www-form-urlencoded': { schema: bodySchema }, 'application/json': { schema: bodySchema } } } : undefined;
      },
    });
    for (const [path, ops] of Object.entries(groupPaths)) paths[path] = { ...paths[path], ...ops };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Partner API key (npm run cli -- apikey create); `Authorization: Bearer <key>` also works' },
        apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: 'GeoReport v2 style; also accepted as a form field on POST' },
      },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: {
            code: { type: 'string' },
            message: { type: 'object', properties: { th: { type: 'string' }, en: { type: 'string' } }, required: ['th', 'en'] },
            fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          } } },
        },
        Open311Error: { type: 'array', items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } } } },
      },
    },
  };
}
