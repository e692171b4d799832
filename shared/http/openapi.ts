/**
 * zod → OpenAPI 3.1 pieces shared by the APIs that describe themselves from the schemas they
 * validate with (through shared/http/registry.ts: the LIFF API and the partner API).
 */
import { z } from 'zod';

/** The JSON Schema of a zod schema as OpenAPI 3.1 embeds it (no `$schema` key). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

/** OpenAPI parameters from an object schema of path or query values (descriptions lifted out of the schema). */
export function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...schemaOnly } = s;
    return {
      name, in: where,
      required: where === 'path' ? true : (js.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: schemaOnly,
    };
  });
}

/** An express path (`/cases/:id`) as an OpenAPI path (`/cases/{id}`). */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
