/**
 * Validates request bodies against LINE's official OpenAPI specs (line/line-openapi, copied into
 * ./line-openapi/), so the simulator refuses exactly what the real platform refuses and cannot
 * drift from it silently.
 *
 * Two things a plain JSON-schema validator gets wrong with these specs, fixed here:
 *  - OpenAPI `discriminator` (message types, actions, flex components, templates, events...) is not
 *    JSON Schema. Without help only the parent (`{type: string}`) would be checked, and a flex bubble
 *    full of nonsense would pass. Each parent with a mapping becomes a dispatcher that requires the
 *    property, restricts it to the mapping keys and applies the matching child via if/then.
 *  - OpenAPI 3.0 `nullable: true` becomes a JSON-schema `null` alternative.
 *
 * A handful of limits that real LINE enforces but the spec does not state are added below, each
 * marked NON-SPEC with the documentation page it comes from.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module
// object for the type checker but the function at run time.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Schema = Record<string, any>;
type Schemas = Record<string, Schema>;

export interface ValidationDetail { message: string; property: string }
export type ValidationResult =
  | { ok: true }
  | { ok: false; message: string; details: ValidationDetail[] };

const SPEC_DIR = new URL('./line-openapi/', import.meta.url);
const REF_PREFIX = '#/components/schemas/';
const BASE_SUFFIX = '__base';

function loadSpec(file: string): Schema {
  return parseYaml(readFileSync(new URL(file, SPEC_DIR), 'utf8'));
}

function walk(node: unknown, visit: (obj: Schema) => void): void {
  if (Array.isArray(node)) { for (const item of node) walk(item, visit); return; }
  if (node && typeof node === 'object') {
    visit(node as Schema);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

/** OpenAPI 3.0 `nullable` → JSON Schema. */
function convertNullable(schemas: Schemas): void {
  walk(schemas, (s) => {
    if (s.nullable !== true) return;
    delete s.nullable;
    if (typeof s.type === 'string') {
      s.type = [s.type, 'null'];
      if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum.push(null);
    } else if (s.$ref) {
      const ref = s.$ref;
      delete s.$ref;
      s.anyOf = [{ $ref: ref }, { type: 'null' }];
    }
  });
}

/** Finds the definition of property `name` directly on a schema or in one of its inline allOf parts. */
function findProperty(schema: Schema, name: string): Schema | undefined {
  if (schema.properties?.[name]) return schema.properties[name];
  for (const part of schema.allOf ?? []) {
    if (!part.$ref && part.properties?.[name]) return part.properties[name];
  }
  return undefined;
}

function setMaxLengthIfAbsent(schemas: Schemas, schemaName: string, prop: string, max: number): void {
  const def = findProperty(schemas[schemaName] ?? {}, prop);
  if (!def) throw new Error(`NON-SPEC patch: ${schemaName}.${prop} not found in spec (spec changed?)`);
  // If LINE ever publishes the limit in the spec, the spec wins.
  if (def.maxLength === undefined) def.maxLength = max;
}

/**
 * NON-SPEC limits: documented by LINE and enforced by the real API, but absent from the OpenAPI
 * files (checked against the copied commit, see line-openapi/SOURCE.md). Only limits a bot would
 * realistically hit are added; each is applied only where the spec is silent.
 */
function applyNonSpecLimits(schemas: Schemas): void {
  // NON-SPEC: text message `text` max 5000 characters.
  // Source: https://developers.line.biz/en/reference/messaging-api/#text-message
  setMaxLengthIfAbsent(schemas, 'TextMessage', 'text', 5000);

  // NON-SPEC: flex message `altText` max 1500 characters.
  // Source: https://developers.line.biz/en/reference/messaging-api/#flex-message
  setMaxLengthIfAbsent(schemas, 'FlexMessage', 'altText', 1500);

  // NON-SPEC: template message `altText` max 400 characters.
  // Source: https://developers.line.biz/en/reference/messaging-api/#template-messages
  setMaxLengthIfAbsent(schemas, 'TemplateMessage', 'altText', 400);

  // NON-SPEC: a flex carousel holds at most 12 bubbles.
  // Source: https://developers.line.biz/en/reference/messaging-api/#f-carousel
  const carouselContents = findProperty(schemas.FlexCarousel, 'contents');
  if (carouselContents && carouselContents.maxItems === undefined) carouselContents.maxItems = 12;

  // NON-SPEC: quick reply items need `type: "action"` and an `action`, and that action needs a
  // `label` of at most 20 characters (the spec has none of these as required/limited).
  // Source: https://developers.line.biz/en/reference/messaging-api/#items-object and
  //         https://developers.line.biz/en/reference/messaging-api/#action-objects
  //         ("label ... Required for quick reply buttons ... Max character limit: 20")
  const item = schemas.QuickReplyItem;
  item.required = [...new Set([...(item.required ?? []), 'type', 'action'])];
  item.properties.type = { ...item.properties.type, enum: ['action'] };
  item.properties.action = {
    allOf: [
      item.properties.action,
      { type: 'object', required: ['label'], properties: { label: { type: 'string', maxLength: 20 } } },
    ],
  };

  // NON-SPEC: every top-level rich menu property is required by the real API.
  // Source: https://developers.line.biz/en/reference/messaging-api/#rich-menu-object
  const richMenu = schemas.RichMenuRequest;
  richMenu.required ??= ['size', 'selected', 'name', 'chatBarText', 'areas'];
}

/**
 * Turns every `discriminator.mapping` into real JSON Schema.
 *
 * Parent P with mapping {k: C}: P becomes a dispatcher (property required, value one of the keys,
 * if value == k then C). Each child C is `allOf: [{$ref: P}, {...}]`; that ref is redirected to
 * `P__base` (P without the dispatch) or validation would loop P → C → P forever. Each child also
 * learns its own discriminator value, so a child referenced directly (e.g. FlexCarousel.contents →
 * FlexBubble) still rejects a wrong `type`.
 */
function resolveDiscriminators(schemas: Schemas): void {
  const parents = Object.entries(schemas).filter(([, s]) => s.discriminator?.mapping);

  // Rewrite children first, while every schema is still in its original shape, so a child that is
  // itself a parent carries the redirected ref into its own __base copy.
  for (const [parentName, parent] of parents) {
    const prop: string = parent.discriminator.propertyName;
    const keysByChild = new Map<string, string[]>();
    for (const [key, ref] of Object.entries<string>(parent.discriminator.mapping)) {
      const child = ref.slice(REF_PREFIX.length);
      keysByChild.set(child, [...(keysByChild.get(child) ?? []), key]);
    }
    for (const [childName, keys] of keysByChild) {
      const child = schemas[childName];
      if (!child) throw new Error(`discriminator of ${parentName} maps to missing schema ${childName}`);
      for (const part of child.allOf ?? []) {
        if (part.$ref === REF_PREFIX + parentName) part.$ref = REF_PREFIX + parentName + BASE_SUFFIX;
      }
      child.allOf = [...(child.allOf ?? []), { properties: { [prop]: { enum: keys } } }];
    }
  }

  for (const [parentName, parent] of parents) {
    const { propertyName: prop, mapping } = parent.discriminator as { propertyName: string; mapping: Record<string, string> };
    const base = { ...parent };
    delete base.discriminator;
    schemas[parentName + BASE_SUFFIX] = base;
    schemas[parentName] = {
      type: 'object',
      required: [prop],
      properties: { [prop]: { type: 'string', enum: Object.keys(mapping) } },
      allOf: Object.entries(mapping).map(([key, ref]) => ({
        // type: 'object' so a non-object does not vacuously match every branch.
        if: { type: 'object', properties: { [prop]: { const: key } }, required: [prop] },
        then: { $ref: ref },
      })),
    };
  }

  // Discriminators without a mapping carry no information a validator can use.
  walk(schemas, (s) => { if (s.discriminator) delete s.discriminator; });
}

function buildAjv(): Ajv {
  // verbose: errors carry their parentSchema, needed to word "between min and max" like LINE does.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
  addFormats(ajv);
  // OpenAPI numeric/binary formats that ajv-formats does not know.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('binary', () => true);
  ajv.addFormat('byte', () => true);
  return ajv;
}

interface CompiledSpec {
  ajv: Ajv;
  id: string;
  doc: Schema;
  cache: Map<string, ValidateFunction>;
}

function compileSpec(file: string, id: string, patch?: (schemas: Schemas) => void): CompiledSpec {
  const doc = loadSpec(file);
  const schemas: Schemas = structuredClone(doc.components.schemas);
  convertNullable(schemas);
  patch?.(schemas);
  resolveDiscriminators(schemas);
  const ajv = buildAjv();
  ajv.addSchema({ $id: id, components: { schemas } });
  return { ajv, id, doc, cache: new Map() };
}

let messaging: CompiledSpec | undefined;
let webhook: CompiledSpec | undefined;

// Compiled on first use: loading + compiling the 180 KB messaging spec takes a moment.
function messagingSpec(): CompiledSpec {
  return (messaging ??= compileSpec('messaging-api.yml', 'line-messaging-api', applyNonSpecLimits));
}
function webhookSpec(): CompiledSpec {
  return (webhook ??= compileSpec('webhook.yml', 'line-webhook'));
}

function validatorForSchema(spec: CompiledSpec, schemaName: string): ValidateFunction {
  let fn = spec.cache.get(schemaName);
  if (!fn) {
    fn = spec.ajv.compile({ $ref: `${spec.id}${REF_PREFIX}${schemaName}` });
    spec.cache.set(schemaName, fn);
  }
  return fn;
}

/** The request-body schema name of an operation, e.g. replyMessage → ReplyMessageRequest. */
function requestSchemaName(spec: CompiledSpec, operationId: string): string {
  for (const pathItem of Object.values<Schema>(spec.doc.paths)) {
    for (const op of Object.values<Schema>(pathItem)) {
      if (op?.operationId !== operationId) continue;
      const content = op.requestBody?.content?.['application/json'];
      const ref: string | undefined = content?.schema?.$ref;
      if (!ref) throw new Error(`operation ${operationId} has no JSON request body`);
      return ref.slice(REF_PREFIX.length);
    }
  }
  throw new Error(`unknown operationId ${operationId}`);
}

/** `/messages/0/quickReply/items/2` → `messages[0].quickReply.items[2]` (LINE's property notation). */
export function toLineProperty(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

function lineMessage(e: ErrorObject): string {
  const parent = (e.parentSchema ?? {}) as Schema;
  switch (e.keyword) {
    case 'required': return 'must be specified';
    case 'minLength':
    case 'maxLength':
      return parent.maxLength !== undefined
        ? `Length must be between ${parent.minLength ?? 0} and ${parent.maxLength}`
        : `Length must be at least ${parent.minLength}`;
    case 'minItems':
    case 'maxItems':
      return parent.maxItems !== undefined
        ? `Size must be between ${parent.minItems ?? 0} and ${parent.maxItems}`
        : `Size must be at least ${parent.minItems}`;
    case 'minimum':
    case 'maximum':
      if (parent.minimum !== undefined && parent.maximum !== undefined) return `must be between ${parent.minimum} and ${parent.maximum}`;
      return e.keyword === 'minimum' ? `must be greater than or equal to ${parent.minimum}` : `must be less than or equal to ${parent.maximum}`;
    case 'enum': return `must be one of the following values: [${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}]`;
    case 'type': return `must be of type ${(e.params as { type: string }).type}`;
    case 'format': return (e.params as { format: string }).format === 'uri' ? 'invalid uri' : `invalid ${(e.params as { format: string }).format}`;
    default: return e.message ?? 'invalid';
  }
}

function toResult(errors: ErrorObject[] | null | undefined): ValidationResult {
  if (!errors?.length) return { ok: true };
  const details: ValidationDetail[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // if/then dispatch reports "must match then schema" on top of the real error inside `then`.
    if (e.keyword === 'if') continue;
    const property = e.keyword === 'required'
      ? toLineProperty(e.instancePath, (e.params as { missingProperty: string }).missingProperty)
      : toLineProperty(e.instancePath);
    const message = lineMessage(e);
    const key = `${property}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ message, property });
  }
  return { ok: false, message: `The request body has ${details.length} error(s)`, details };
}

/** Validates the JSON body of a Messaging API operation (by operationId, e.g. `replyMessage`). */
export function validateOperation(operationId: string, body: unknown): ValidationResult {
  const spec = messagingSpec();
  const fn = validatorForSchema(spec, requestSchemaName(spec, operationId));
  fn(body);
  return toResult(fn.errors);
}

/** Validates a value against any named Messaging API schema (e.g. `Message`, `FlexContainer`). */
export function validateMessagingSchema(schemaName: string, value: unknown): ValidationResult {
  const fn = validatorForSchema(messagingSpec(), schemaName);
  fn(value);
  return toResult(fn.errors);
}

/** Validates a webhook request body against webhook.yml `CallbackRequest`. */
export function validateCallbackRequest(body: unknown): ValidationResult {
  const fn = validatorForSchema(webhookSpec(), 'CallbackRequest');
  fn(body);
  return toResult(fn.errors);
}
