import { en } from './en.ts';
import { th, type Copy } from './th.ts';
import type { Lang } from '../thaiDate.ts';

export type { Copy, Lang };

/** Thai unless the user's LINE language is English (LINE sends a BCP 47 tag such as "en" or "en-US"). */
export function langFrom(tag: string | undefined | null): Lang {
  return tag && /^en\b/i.test(tag) ? 'en' : 'th';
}

export function copy(lang: Lang): Copy {
  return lang === 'en' ? en : th;
}
