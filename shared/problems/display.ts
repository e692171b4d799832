/** How a problem type is shown: icon and name in the reader's language. */
import { subjectCategory } from '../categories.ts';
import type { Lang } from '../i18n/index.ts';
import { problemType, type ProblemType } from './types.ts';

export const typeName = (t: ProblemType, lang: Lang): string => (lang === 'en' ? t.en : t.th);

/** The name on a chat button: the short name when the full one would not fit beside the icon. */
export const typeShortName = (t: ProblemType, lang: Lang): string => (lang === 'en' ? t.shortEn ?? t.en : t.shortTh ?? t.th);

/** "💡 ไฟถนนดับ"; undefined for a case filed before types (it shows its category instead). */
export function problemTypeLabel(code: string | null | undefined, lang: Lang): string | undefined {
  const t = problemType(code);
  return t ? `${t.icon} ${typeName(t, lang)}` : undefined;
}

/**
 * What a case is about, as people read it: its problem type (with its icon), else — a case filed
 * before the types — its subject category (no icon). Undefined for an unknown code.
 */
export function caseKind(type: string | null | undefined, category: string | null | undefined): { th: string; en: string; icon?: string } | undefined {
  const t = problemType(type);
  if (t) return { th: t.th, en: t.en, icon: t.icon };
  const c = subjectCategory(category ?? '');
  return c ? { th: c.th, en: c.en } : undefined;
}

/** `caseKind` as one label in the reader's language: "💡 ไฟถนนดับ", or the category's name. */
export function caseKindLabel(type: string | null | undefined, category: string | null | undefined, lang: Lang): string | undefined {
  const k = caseKind(type, category);
  if (!k) return undefined;
  const name = lang === 'en' ? k.en : k.th;
  return k.icon ? `${k.icon} ${name}` : name;
}
