/**
 * The route registry: each route is declared once — method, path, parameters, body and answer
 * schemas, error statuses — and that one declaration both mounts the express handler (with auth,
 * rate limit and validation in front of it) and becomes its entry in the OpenAPI document.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { sendJson } from '../../shared/http.ts';
import { jsonSchema, openApiPath, parametersOf } from '../../shared/openapi.ts';
import type { LiffUser } from './auth.ts';
import { notFound, validationError, zodFields } from './errors.ts';
import { ErrorBody } from './schemas.ts';
import { IMAGE_TYPES } from './uploads.ts';

export const JSON_BODY_LIMIT = '100kb';

type AnyObject = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

export interface RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  operationId: string;
  method: 'get' | 'post';
  /** Express path below /liff/api, e.g. `/cases/:id`. */
  path: string;
  summary: string;
  tags: string[];
  /** No ID token needed (only the OpenAPI document itself). */
  public?: boolean;
  /** Path parameters; a value that does not fit is a 404 (an id that cannot exist). */
  params?: P;
  query?: Q;
  /** JSON body schema (validated, unknown keys refused). */
  body?: B;
  /** The body is raw image bytes (uploads). */
  imageBody?: boolean;
  rateLimit?: 'write' | 'upload';
  success: {
    status: number; description: string; schema?: z.ZodType; image?: boolean; alsoStatus?: { status: number; description: string };
    /** OpenAPI links: operations that take the `id` this answer returns (lets a stateful fuzzer follow a created case). */
    idFor?: string[];
  };
  /** Failure statuses besides the implied ones (401 with auth, 404 with params, 400/413 with a body, 429 with a limit). */
  errors?: number[];
}

export interface Ctx<P, Q, B> {
  req: Request;
  res: Response;
  user: LiffUser;
  params: P;
  query: Q;
  body: B;
  /** Answer status; defaults to the spec's success status. */
  status: number;
}

/** What a handler returns: the JSON answer, or `undefined` when it wrote the response itself (files). */
export type Handler<P, Q, B> = (ctx: Ctx<P, Q, B>) => Promise<unknown>;

export interface RegistryMiddleware {
  auth: RequestHandler;
  limits: Record<'write' | 'upload', RequestHandler>;
}

const jsonBody = express.json({ limit: JSON_BODY_LIMIT, strict: true, type: () => true });

export class ApiRoutes {
  readonly router: Router = express.Router();
  readonly specs: RouteSpec[] = [];
  private mw: RegistryMiddleware;

  constructor(mw: RegistryMiddleware) {
    this.mw = mw;
  }

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
    spec: RouteSpec<P, Q, B>,
    handler: Handler<z.output<P>, z.output<Q>, z.output<B>>,
  ): void {
    this.specs.push(spec as unknown as RouteSpec);
    const chain: RequestHandler[] = [];
    if (!spec.public) chain.push(this.mw.auth);
    if (spec.rateLimit) chain.push(this.mw.limits[spec.rateLimit]);
    chain.push((req, _res, next) => {
      if (spec.params && !spec.params.safeParse(req.params).success) return next(notFound());
      next();
    });
    if (spec.body) chain.push(jsonBody);
    chain.push(async (req, res, next) => {
      try {
        const params = spec.params ? spec.params.parse(req.params) : {};
        let query: unknown = {};
        if (spec.query) {
          const q = spec.query.safeParse({ ...req.query }, { reportInput: true });
          if (!q.success) throw validationError(zodFields(q.error.issues));
          query = q.data;
        }
        let body: unknown;
        if (spec.body) {
          const b = spec.body.safeParse(req.body === undefined ? {} : req.body, { reportInput: true });
          if (!b.success) throw validationError(zodFields(b.error.issues));
          body = b.data;
        }
        const ctx = { req, res, user: res.locals.user as LiffUser, params, query, body, status: spec.success.status } as Ctx<z.output<P>, z.output<Q>, z.output<B>>;
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
  400: 'Validation failed: per-field messages in Thai and English',
  401: 'Missing, invalid or expired LINE ID token',
  404: 'Not found (also: exists but is not yours)',
  409: 'Conflict with the case\'s current state',
  413: 'Payload too large',
  415: 'Unsupported media type (checked by content)',
  429: 'Rate limited; see Retry-After',
  500: 'Internal error',
  503: 'LINE token verification unreachable',
};

const errorResponse = (status: number) => ({
  description: ERROR_TEXT[status] ?? 'Error',
  ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer', minimum: 1 } } } } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const imageContent = Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]));

/** OpenAPI 3.1 for the registered routes, from the same zod schemas the handlers validate with. */
export function openApiDocument(specs: RouteSpec[], basePath: string, info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const s of specs) {
    const path = basePath + openApiPath(s.path);
    const statuses = new Set<number>(s.errors ?? []);
    if (!s.public) statuses.add(401);
    if (s.params) statuses.add(404);
    if (s.body) { statuses.add(400); statuses.add(413); }
    if (s.query) statuses.add(400);
    if (s.imageBody) { statuses.add(400); statuses.add(413); statuses.add(415); }
    if (s.rateLimit) statuses.add(429);
    const success = {
      description: s.success.description,
      ...(s.success.idFor?.length ? {
        links: Object.fromEntries(s.success.idFor.map((op) => [op, { operationId: op, parameters: { id: '$response.body#/id' } }])),
      } : {}),
      ...(s.success.image ? { content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } } : {}),
      ...(s.success.schema ? { content: { 'application/json': { schema: jsonSchema(s.success.schema, 'output') } } } : {}),
    };
    const responses: Record<string, unknown> = { [String(s.success.status)]: success };
    if (s.success.alsoStatus) responses[String(s.success.alsoStatus.status)] = { ...success, description: s.success.alsoStatus.description };
    for (const st of [...statuses].sort()) responses[String(st)] = errorResponse(st);
    paths[path] ??= {};
    paths[path][s.method] = {
      operationId: s.operationId,
      summary: s.summary,
      tags: s.tags,
      security: s.public ? [] : [{ lineIdToken: [] }],
      parameters: [...parametersOf(s.params, 'path'), ...parametersOf(s.query, 'query')],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.body, 'input') } } } } : {}),
      ...(s.imageBody ? { requestBody: { required: true, description: 'Raw image bytes, at most 10 MB; the type is checked by content', content: imageContent } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        lineIdToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'LINE ID token from liff.getIDToken(), verified with LINE' },
      },
      schemas: { Error: jsonSchema(ErrorBody, 'output') },
    },
  };
}
