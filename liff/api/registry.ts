/**
 * The LIFF routes on the shared route registry (shared/http/registry.ts): ID-token auth and the
 * per-user rate limit in front, an impossible id refused before a body is read, then zod
 * validation; the same declarations give the OpenAPI document.
 */
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { jsonSchema } from '../../shared/http/openapi.ts';
import { openApiPaths, RouteRegistry, type AnyObject, type BaseRouteSpec, type Handler as BaseHandler } from '../../shared/http/registry.ts';
import type { LiffUser } from './auth.ts';
import { notFound } from '../../shared/http/errors.ts';
import { validationError, zodFields } from './errors.ts';
import { ErrorBody } from './schemas.ts';
import { IMAGE_TYPES } from './uploads.ts';

export const JSON_BODY_LIMIT = '100kb';

export interface RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> extends BaseRouteSpec<P, Q, B> {
  /** No ID token needed (only the OpenAPI document itself). */
  public?: boolean;
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

/** What a LIFF handler gets besides its input: the LINE user of the ID token. */
export type Handler<P, Q, B> = BaseHandler<{ user: LiffUser }, P, Q, B>;

export interface RegistryMiddleware {
  auth: RequestHandler;
  limits: Record<'write' | 'upload', RequestHandler>;
}

const jsonBody = express.json({ limit: JSON_BODY_LIMIT, strict: true, type: () => true });

export class ApiRoutes extends RouteRegistry<RouteSpec, { user: LiffUser }> {
  constructor(mw: RegistryMiddleware) {
    super({
      before: (spec) => [
        ...(spec.public ? [] : [mw.auth]),
        ...(spec.rateLimit ? [mw.limits[spec.rateLimit]] : []),
        // An id that cannot exist is a 404 before a body is read.
        (req, _res, next) => (spec.params && !spec.params.safeParse(req.params).success ? next(notFound()) : next()),
        ...(spec.body ? [jsonBody] : []),
      ],
      context: (_req, res) => ({ user: res.locals.user as LiffUser }),
      notFound,
      invalid: (issues) => validationError(zodFields(issues)),
    });
  }

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>, handler: Handler<z.output<P>, z.output<Q>, z.output<B>>): void {
    this.mount<P, Q, B>(spec as unknown as RouteSpec, handler);
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
  const paths = openApiPaths(specs, {
    basePath,
    impliedStatuses: (s) => [
      ...(s.public ? [] : [401]), ...(s.params ? [404] : []), ...(s.body ? [400, 413] : []), ...(s.query ? [400] : []),
      ...(s.imageBody ? [400, 413, 415] : []), ...(s.rateLimit ? [429] : []),
    ],
    successResponses: (s) => {
      const success = {
        description: s.success.description,
        ...(s.success.idFor?.length ? {
          links: Object.fromEntries(s.success.idFor.map((op) => [op, { operationId: op, parameters: { id: '$response.body#/id' } }])),
        } : {}),
        ...(s.success.image ? { content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } } : {}),
        ...(s.success.schema ? { content: { 'application/json': { schema: jsonSchema(s.success.schema, 'output') } } } : {}),
      };
      return {
        [String(s.success.status)]: success,
        ...(s.success.alsoStatus ? { [String(s.success.alsoStatus.status)]: { ...success, description: s.success.alsoStatus.description } } : {}),
      };
    },
    errorResponse,
    security: (s) => (s.public ? [] : [{ lineIdToken: [] }]),
    requestBody: (s) => (s.body ? { required: true, content: { 'application/json': { schema: jsonSchema(s.body, 'input') } } }
      : s.imageBody ? { required: true, description: 'Raw image bytes, at most 10 MB; the type is checked by content', content: imageContent } : undefined),
  });
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
