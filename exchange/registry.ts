/**
 * Each partner route is declared once — method, path, parameters, body and answer schemas — and
 * that declaration both mounts the express handler (API key, body parsing, zod validation in front)
 * and becomes its entry in the OpenAPI document (the approach of liff/api/registry.ts).
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { sendJson } from '../shared/http.ts';
import { jsonSchema, openApiPath, parametersOf } from '../shared/openapi.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { ApiKeyAuthenticate } from './auth.ts';
import { badRequest, notFound, unauthorized, zodFields, type ErrorStyle } from './errors.ts';

type AnyObject = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

export interface RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  operationId: string;
  method: 'get' | 'post';
  /** Full express path, e.g. `/open311/v2/requests/:id.json`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Open to anyone (discovery, services, the document itself). */
  public?: boolean;
  /** A value that does not fit is a 404 (an id that cannot exist). */
  params?: P;
  query?: Q;
  /** Body schema; accepted as JSON and as application/x-www-form-urlencoded (GeoReport v2 clients post forms). */
  body?: B;
  success: {
    status: number; description: string; schema: z.ZodType; alsoStatus?: { status: number; description: string };
    /** OpenAPI links: operations that take a value of this answer (lets a stateful fuzzer follow a created case). */
    links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
  };
  errors?: number[];
  /** Optional request headers, for the document only (the handler reads and checks them). */
  headers?: { name: string; description: string; pattern: string }[];
}

export interface Ctx<P, Q, B> {
  req: Request;
  res: Response;
  /** The partner; a placeholder-free null only on public routes. */
  principal: Extract<Principal, { kind: 'partner' }>;
  params: P;
  query: Q;
  body: B;
  status: number;
}

export type Handler<P, Q, B> = (ctx: Ctx<P, Q, B>) => Promise<unknown>;

/** Charges `cost` to a key's budget; throws a 429 ExchangeError when it is spent. */
export type Limiter = (apiKeyId: string, cost: number) => Promise<void>;

/** Filing a case costs this many requests of the budget: it writes, routes and alerts people. */
export const WRITE_COST = 10;

const BODY_LIMIT = '64kb';
const jsonBody = express.json({ limit: BODY_LIMIT, strict: true });
const formBody = express.urlencoded({ limit: BODY_LIMIT, extended: false, parameterLimit: 50 });

export class ExchangeRoutes {
  readonly router: Router = express.Router();
  readonly specs: { spec: RouteSpec; style: ErrorStyle }[] = [];
  private authenticate: ApiKeyAuthenticate;
  private style: ErrorStyle;
  private limit?: Limiter;

  constructor(authenticate: ApiKeyAuthenticate, style: ErrorStyle, limit?: Limiter) {
    this.authenticate = authenticate;
    this.style = style;
    this.limit = limit;
  }

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
    spec: RouteSpec<P, Q, B>,
    handler: Handler<z.output<P>, z.output<Q>, z.output<B>>,
  ): void {
    this.specs.push({ spec: spec as unknown as RouteSpec, style: this.style });
    const chain: RequestHandler[] = [];
    if (spec.body) chain.push(jsonBody, formBody);
    chain.push(async (req, res, next) => {
      try {
        // The key may be a form field, so bodies are parsed first; nothing else runs before auth.
        let principal: Principal | null = null;
        if (!spec.public) {
          principal = await this.authenticate(req);
          if (!principal || principal.kind !== 'partner') throw unauthorized();
          if (this.limit) await this.limit(principal.apiKeyId, spec.method === 'post' ? WRITE_COST : 1);
        }
        if (spec.params && !spec.params.safeParse(req.params).success) throw notFound();
        const params = spec.params ? spec.params.parse(req.params) : {};
        let query: unknown = {};
        if (spec.query) {
          const q = spec.query.safeParse({ ...req.query });
          if (!q.success) throw badRequest(zodFields(q.error.issues));
          query = q.data;
        }
        let body: unknown;
        if (spec.body) {
          const raw = req.body === undefined || req.body === null ? {} : req.body;
          const b = spec.body.safeParse(raw);
          if (!b.success) throw badRequest(zodFields(b.error.issues));
          body = b.data;
        }
        const ctx = { req, res, principal, params, query, body, status: spec.success.status } as Ctx<z.output<P>, z.output<Q>, z.output<B>>;
        const out = await handler(ctx);
        if (out !== undefined && !res.headersSent) sendJson(res, ctx.status, out);
      } catch (err) {
        next(err);
      }
    });
    this.router[spec.method](spec.path, ...chain);
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
  429: 'Too many requests for this API key (Retry-After says when to retry)',
};

/** OpenAPI 3.1 for the registered routes, from the zod schemas the handlers validate with. */
export function openApiDocument(groups: ExchangeRoutes[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec: s, style } of groups.flatMap((g) => g.specs)) {
    const path = openApiPath(s.path);
    const statuses = new Set<number>(s.errors ?? []);
    if (!s.public) { statuses.add(401); statuses.add(429); }
    if (s.params) statuses.add(404);
    if (s.query) statuses.add(400);
    if (s.body) { statuses.add(400); statuses.add(413); statuses.add(415); }
    const errorRef = { $ref: style === 'open311' ? '#/components/schemas/Open311Error' : '#/components/schemas/Error' };
    const success = {
      description: s.success.description,
      ...(s.success.links ? { links: s.success.links } : {}),
      content: { 'application/json': { schema: jsonSchema(s.success.schema, 'output') } },
    };
    const responses: Record<string, unknown> = { [String(s.success.status)]: success };
    if (s.success.alsoStatus) responses[String(s.success.alsoStatus.status)] = { ...success, description: s.success.alsoStatus.description };
    for (const st of [...statuses].sort()) responses[String(st)] = { description: ERROR_TEXT[st] ?? 'Error', content: { 'application/json': { schema: errorRef } } };
    const bodySchema = s.body ? jsonSchema(s.body, 'input') : undefined;
    paths[path] ??= {};
    paths[path][s.method] = {
      operationId: s.operationId,
      summary: s.summary,
      ...(s.description ? { description: s.description } : {}),
      tags: s.tags,
      security: s.public ? [] : [{ apiKeyHeader: [] }, { apiKeyQuery: [] }],
      parameters: [
        ...parametersOf(s.params, 'path'), ...parametersOf(s.query, 'query'),
        ...(s.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string', pattern: h.pattern } })),
      ],
      ...(bodySchema ? { requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: bodySchema }, 'application/json': { schema: bodySchema } } } } : {}),
      responses,
    };
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
