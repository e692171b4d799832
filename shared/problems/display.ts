/** How a problem type is shown: icon and name in the reader's language, and why it was suggested. */
import { copy, type Lang } from '../i18n/index.ts';
import type { TypeSuggestion } from './suggest.ts';
import { problemType, type ProblemType } from './types.ts';

export const typeName = (t: ProblemType, lang: Lang): string => (lang === 'en' ? t.en : t.th);

/** The name on a chat button: the short name when the full one would not fit beside the icon. */
export const typeShortName = (t: ProblemType, lang: Lang): string => (lang === 'en' ? t.shortEn ?? t.en : t.shortTh ?? t.th);

/** "💡 ไฟถนนดับ"; undefined for a case filed before types (it shows its category instead). */
export function problemTypeLabel(code: string | null | undefined, lang: Lang): string | undefined {
  const t = problemType(code);
  return t ? `${t.icon} ${typeName(t, lang)}` : undefined;
}

/** The reason shown with a suggestion: the citizen's own word that gave it away ("พบคำว่า “ไฟดับ”"). */
export function suggestionReason(s: Pick<TypeSuggestion, 'matched'>, lang: Lang): string {
  return copy(lang).foundWord(s.matched[0] ?? '');
}
