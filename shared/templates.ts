/**
 * Response templates (config/response-templates.json): ready wording per subject category and
 * officer action, in Thai and English. The officer picks one in the LIFF action panel, edits it and
 * sends; nothing is ever sent from a template unread. Validated with zod when read: a bad file is
 * refused with the template and key named. The file is read again when it changes on disk, so an
 * edit by the CLI reaches the running web process without a restart.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SUBJECT_CATEGORY_CODES, type SubjectCategoryCode } from './categories.ts';
import { ConfigError } from './config.ts';
import type { Lang } from './i18n/index.ts';

export const DEFAULT_RESPONSE_TEMPLATES_FILE = fileURLToPath(new URL('../config/response-templates.json', import.meta.url));

/** The officer actions a template can start: an update to the citizen, a question, the result, a refusal. */
export const TEMPLATE_ACTIONS = ['update', 'ask', 'close', 'reject'] as const;
export type TemplateAction = (typeof TEMPLATE_ACTIONS)[number];

/** What a template may refer to; filled from the case when the officer picks it. */
export const TEMPLATE_PLACEHOLDERS = ['trackingNo', 'unitName', 'categoryName'] as const;
export type TemplateValues = Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string>;

/** The shortest text any of the actions accepts (ask, close, reject: 5), and the longest (ask, reject: 1000). */
const TEXT_MIN = 5;
const TEXT_MAX = 1000;

const placeholdersKnown = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].every((m) => (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]));
const TemplateBody = z.string().trim().min(TEXT_MIN).max(TEXT_MAX)
  .refine(placeholdersKnown, { message: `unknown placeholder; use ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` });

export const ResponseTemplate = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,47}$/, 'id: lower-case letters, digits and -, 2-48 characters'),
  action: z.enum(TEMPLATE_ACTIONS),
  /** Subject categories it suits; empty = all. */
  categories: z.array(z.enum(SUBJECT_CATEGORY_CODES)).default([]),
  titleTh: z.string().trim().min(1).max(40),
  titleEn: z.string().trim().min(1).max(40),
  th: TemplateBody,
  en: TemplateBody,
});
export type ResponseTemplate = z.output<typeof ResponseTemplate>;

const TemplatesFile = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  templates: z.array(ResponseTemplate),
}).superRefine((f, ctx) => {
  const seen = new Set<string>();
  f.templates.forEach((t, i) => {
    if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['templates', i, 'id'], message: `duplicate id ${t.id}` });
    seen.add(t.id);
  });
});
type TemplatesFile = z.output<typeof TemplatesFile>;

export class TemplatesConfigError extends ConfigError {
  override name = 'TemplatesConfigError';
}

/** RESPONSE_TEMPLATES_FILE, else config/response-templates.json. */
export function templatesFile(env: Record<string, string | undefined> = process.env): string {
  return env.RESPONSE_TEMPLATES_FILE || DEFAULT_RESPONSE_TEMPLATES_FILE;
}

function parseFile(file: string, text: string): TemplatesFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TemplatesConfigError(`${file}: not valid JSON (${(err as Error).message}) / รูปแบบ JSON ไม่ถูกต้อง`);
  }
  const r = TemplatesFile.safeParse(json);
  if (!r.success) {
    const where = (path: PropertyKey[]) => {
      const i = path[0] === 'templates' && typeof path[1] === 'number' ? path[1] : undefined;
      const id = i !== undefined ? (json as { templates?: { id?: unknown }[] }).templates?.[i]?.id : undefined;
      return `${id ? `template ${String(id)}: ` : ''}${path.join('.')}`;
    };
    throw new TemplatesConfigError(`${file}: ${r.error.issues.map((x) => `${where(x.path)}: ${x.message}`).join('; ')} / ไฟล์แม่แบบข้อความไม่ถูกต้อง`);
  }
  return r.data;
}

/** Reads and validates the file (no file at all = no templates). */
export function readTemplatesFile(file = templatesFile()): TemplatesFile {
  if (!existsSync(file)) return { templates: [] };
  return parseFile(file, readFileSync(file, 'utf8'));
}

const cache = new Map<string, { mtimeMs: number; size: number; data: TemplatesFile }>();

/** The templates now: read once, again only when the file changed (a broken edit keeps the last good set). */
export function responseTemplates(file = templatesFile()): ResponseTemplate[] {
  if (!existsSync(file)) return [];
  const st = statSync(file);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.data.templates;
  try {
    const data = readTemplatesFile(file);
    cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, data });
    return data.templates;
  } catch (err) {
    if (hit) return hit.data.templates;
    throw err;
  }
}

/** Templates for one action and category: those made for the category first, then the general ones. */
export function templatesFor(all: ResponseTemplate[], action: TemplateAction, category?: string): ResponseTemplate[] {
  const fits = all.filter((t) => t.action === action && (!category || !t.categories.length || t.categories.includes(category as SubjectCategoryCode)));
  return [...fits.filter((t) => t.categories.length), ...fits.filter((t) => !t.categories.length)];
}

export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? values[k as keyof TemplateValues] : m));
}

export const templateText = (t: ResponseTemplate, lang: Lang): string => (lang === 'en' ? t.en : t.th);

/** Validates the whole set, then replaces the file (write to a temporary file, then rename: never half a file). */
export function writeTemplatesFile(file: string, data: TemplatesFile): void {
  const checked = parseFile(file, JSON.stringify(data));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...(data.$comment ? { $comment: data.$comment } : {}), templates: checked.templates }, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Adds or replaces the template with this id. Returns whether it was new. */
export function setTemplate(file: string, input: unknown): { created: boolean; template: ResponseTemplate } {
  const r = ResponseTemplate.safeParse(input);
  if (!r.success) throw new TemplatesConfigError(r.error.issues.map((x) => `${x.path.join('.') || 'template'}: ${x.message}`).join('; ') + ' / แม่แบบไม่ถูกต้อง');
  const data = readTemplatesFile(file);
  const i = data.templates.findIndex((t) => t.id === r.data.id);
  if (i >= 0) data.templates[i] = r.data;
  else data.templates.push(r.data);
  writeTemplatesFile(file, data);
  return { created: i < 0, template: r.data };
}

export function removeTemplate(file: string, id: string): boolean {
  const data = readTemplatesFile(file);
  const left = data.templates.filter((t) => t.id !== id);
  if (left.length === data.templates.length) return false;
  writeTemplatesFile(file, { ...data, templates: left });
  return true;
}
