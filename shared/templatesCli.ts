/** `npm run cli -- templates list|show|set|remove`: the admin's way to edit config/response-templates.json. */
import { parseArgs } from 'node:util';
import { subjectCategory } from './categories.ts';
import {
  readTemplatesFile, removeTemplate, setTemplate, TEMPLATE_ACTIONS, TEMPLATE_PLACEHOLDERS, templatesFile, templatesFor, TemplatesConfigError,
  type ResponseTemplate, type TemplateAction,
} from './templates.ts';

export const TEMPLATES_USAGE = `  templates list [--action update|ask|close|reject] [--category <code>]
      the response templates officers pick from (config/response-templates.json, or RESPONSE_TEMPLATES_FILE)
  templates show <id>
  templates set <id> [--action a] [--categories help,dispute|all] [--title-th ..] [--title-en ..] [--th ..] [--en ..]
      adds the template, or changes the given fields of an existing one; placeholders ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}
  templates remove <id>`;

const categoriesOf = (t: ResponseTemplate) => (t.categories.length ? t.categories.join(',') : 'all');

function show(t: ResponseTemplate): string {
  return [
    `${t.id}  [${t.action}]  categories: ${categoriesOf(t)}`,
    `  ${t.titleTh} / ${t.titleEn}`,
    `  th: ${t.th}`,
    `  en: ${t.en}`,
  ].join('\n');
}

/** Runs a templates command; returns the exit code. Needs no database. */
export function templatesCommand(args: string[], env: Record<string, string | undefined> = process.env, out: (s: string) => void = console.log): number {
  const [command, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true,
    options: {
      action: { type: 'string' }, category: { type: 'string' }, categories: { type: 'string' },
      'title-th': { type: 'string' }, 'title-en': { type: 'string' }, th: { type: 'string' }, en: { type: 'string' },
    },
  });
  const file = templatesFile(env);
  if (command === 'list') {
    if (values.action && !(TEMPLATE_ACTIONS as readonly string[]).includes(values.action)) throw new TemplatesConfigError(`--action must be one of ${TEMPLATE_ACTIONS.join(', ')} / การดำเนินการไม่ถูกต้อง`);
    if (values.category && !subjectCategory(values.category)) throw new TemplatesConfigError(`--category: unknown category ${values.category} / ไม่พบประเด็นนี้`);
    const all = readTemplatesFile(file).templates;
    const actions = values.action ? [values.action as TemplateAction] : TEMPLATE_ACTIONS;
    for (const a of actions) {
      const list = values.category ? templatesFor(all, a, values.category) : all.filter((t) => t.action === a);
      for (const t of list) out(`${t.id}\t${a}\t${categoriesOf(t)}\t${t.titleTh} / ${t.titleEn}`);
    }
    return 0;
  }
  const id = positionals[0];
  if ((command === 'show' || command === 'set' || command === 'remove') && !id) throw new TemplatesConfigError(`usage: templates ${command} <id> / ต้องระบุรหัสแม่แบบ`);
  if (command === 'show') {
    const t = readTemplatesFile(file).templates.find((x) => x.id === id);
    if (!t) { out(`ไม่พบแม่แบบ ${id} / no template ${id}`); return 1; }
    out(show(t));
    return 0;
  }
  if (command === 'set') {
    const old = readTemplatesFile(file).templates.find((x) => x.id === id);
    const cats = values.categories === undefined ? old?.categories ?? []
      : values.categories === 'all' || values.categories === '' ? [] : values.categories.split(',').map((c) => c.trim()).filter(Boolean);
    const { created, template } = setTemplate(file, {
      id, action: values.action ?? old?.action, categories: cats,
      titleTh: values['title-th'] ?? old?.titleTh, titleEn: values['title-en'] ?? old?.titleEn,
      th: values.th ?? old?.th, en: values.en ?? old?.en,
    });
    out(`${created ? 'added' : 'updated'} ${template.id} (${file})\n${show(template)}`);
    return 0;
  }
  if (command === 'remove') {
    if (!removeTemplate(file, id)) { out(`ไม่พบแม่แบบ ${id} / no template ${id}`); return 1; }
    out(`removed ${id}`);
    return 0;
  }
  out(TEMPLATES_USAGE);
  return 2;
}
