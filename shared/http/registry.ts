/**
 * The route registry both our HTTP APIs are built on: each route is declared once — method, path,
 * parameters, body and answer schemas, error statuses — and that one declaration mounts the express
 * handler (the API's auth and limits in front, then zod validation) and becomes its entry in the
 * OpenAPI document. A handler is "parse → run the command → map the result" (result.ts); what is
 * particular to an API (LIFF ID tokens, partner API keys, Open311's error shape) comes in as hooks.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { sendJson } from './json.ts';
import { openApiPath, parametersOf } from './openapi.ts';

export type AnyObject = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

export interface BaseRouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  operationId: string;
  method: 'get' | 'post';
  /** Express path below where the API's router is mounted, e.g. `/cases/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Open to anyone: no credentials checked. */
  public?: boolean;
  /** Path parameters; a value that does not fit is a 404 (an id that cannot exist). */
  params?: P;
  query?: Q;
  /** Body schema (validated; unknown keys refused where the schema is strict). */
  body?: B;
  success: { status: number; description: string };
  /** Failure statuses besides the ones the API implies from the spec (auth, params, body…). */
  errors?: number[];
}

/** What a handler gets: the request, the parsed input and what the API adds (the user, the partner). */
export type Ctx<X, P, Q, B> = X & {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** Answer status; defaults to the spec's success status. */
  status: number;
};

/** What a handler returns: the JSON answer, or `undefined` when it wrote the response itself (files). */
export type Handler<X, P, Q, B> = (ctx: Ctx<X, P, Q, B>) => Promise<unknown>;

export interface RegistryHooks<S extends BaseRouteSpec, X> {
  /** Middleware in front of validation for this route (auth, rate limits, body parsers). */
  before(spec: S): RequestHandler[];
  /** What the handler gets besides its input (may throw: a missing key is a 401 here). */
  context(req: Request, res: Response, spec: S): Promise<X> | X;
  /** The failure for a path parameter that does not fit (404). */
  notFound(): Error;
  /** The failure for query or body issues (400 with per-field messages). */
  invalid(issues: readonly z.core.$ZodIssue[]): Error;
}

export class RouteRegistry<S extends BaseRouteSpec, X> {
  readonly router: Router = express.Router();
  readonly specs: S[] = [];
  private hooks: RegistryHooks<S, X>;

  constructor(hooks: RegistryHooks<S, X>) {
    this.hooks = hooks;
  }

  protected mount<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: S, handler: Handler<X, z.output<P>, z.output<Q>, z.output<B>>): void {
    this.specs.push(spec);
    const hooks = this.hooks;
    this.router[spec.method](spec.path, ...hooks.before(spec), async (req: Request, res: Response, next: (err?: unknown) => void) => {
      try {
        const extra = await hooks.context(req, res, spec);
        if (spec.params && !spec.params.safeParse(req.params).success) throw hooks.notFound();
        const params = spec.params ? spec.params.parse(req.params) : {};
        let query: unknown = {};
        if (spec.query) {
          const q = spec.query.safeParse({ ...req.query }, { reportInput: true });
          if (!q.success) throw hooks.invalid(q.error.issues);
          query = q.data;
        }
        let body: unknown;
        if (spec.body) {
          const b = spec.body.safeParse(req.body ?? {}, { reportInput: true });
          if (!b.success) throw hooks.invalid(b.error.issues);
          body = b.data;
        }
        const ctx = { ...extra, req, res, params, query, body, status: spec.success.status } as Ctx<X, z.output<P>, z.output<Q>, z.output<B>>;
        const out = await handler(ctx);
        if (out !== undefined && !res.headersSent) sendJson(res, ctx.status, out);
      } catch (err) {
        next(err);
      }
    });
  }
}

// ------------------------------------------------------------------------------------- OpenAPI

export interface OpenApiHooks<S extends BaseRouteSpec> {
  /** Prefix of every path (where the router is mounted). */
  basePath?: string;
  /** Failure statuses the spec implies (401 with auth, 404 with params…). */
  impliedStatuses(spec: S): number[];
  /** The success response(s), keyed by status. */
  successResponses(spec: S): Record<string, unknown>;
  errorResponse(status: number, spec: S): unknown;
  security(spec: S): unknown[];
  requestBody(spec: S): unknown;
  /** Parameters besides path and query (documented headers). */
  extraParameters?(spec: S): unknown[];
}

/** OpenAPI 3.1 `paths` for the registered routes, from the same zod schemas the handlers validate with. */
export function openApiPaths<S extends BaseRouteSpec>(specs: S[], hooks: OpenApiHooks<S>): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const s of specs) {
    const path = (hooks.basePath ?? '') + openApiPath(s.path);
    const statuses = new Set<number>([...(s.errors ?? []), ...hooks.impliedStatuses(s)]);
    const responses: Record<string, unknown> = { ...hooks.successResponses(s) };
    for (const st of [...statuses].sort()) responses[String(st)] = hooks.errorResponse(st, s);
    const requestBody = hooks.requestBody(s);
    paths[path] ??= {};
    paths[path][s.method] = {
      operationId: s.operationId,
      summary: s.summary,
      ...(s.description ? { description: s.description } : {}),
      tags: s.tags,
      security: hooks.security(s),
      parameters: [...parametersOf(s.params, 'path'), ...parametersOf(s.query, 'query'), ...(hooks.extraParameters?.(s) ?? [])],
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return paths;
}
