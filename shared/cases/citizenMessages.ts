/**
 * The words a complainant receives in LINE when an officer sends them an update, a question, the
 * result or a refusal. One function for the notify worker (which sends it) and the officer's preview
 * (which shows it before sending), so what the officer reviews is exactly what arrives.
 */
import { copy, type Lang } from '../i18n/index.ts';
import { caseLink, surveyLink, type LinkConfig } from '../links.ts';
import type { CaseDoc } from '../models/index.ts';

/** LINE's limit for one text message. */
export const LINE_TEXT_MAX = 5000;

export const CITIZEN_MESSAGE_KINDS = ['update', 'ask', 'close', 'reject'] as const;
export type CitizenMessageKind = (typeof CITIZEN_MESSAGE_KINDS)[number];

/** The complainant's language as the bot speaks to them: English only when they chose it. */
export function citizenLangOf(c: Pick<CaseDoc, 'complainant'>): Lang {
  return c.complainant?.lang === 'en' ? 'en' : 'th';
}

/** `photos`: how many result photos came with a closure (the message then points to the case page that shows them). */
export function citizenMessage(kind: CitizenMessageKind, c: Pick<CaseDoc, '_id' | 'trackingNo'>, text: string, links: LinkConfig, lang: Lang, photos = 0): string {
  const t = copy(lang);
  const id = String(c._id);
  const out = kind === 'update' ? t.citizenProgress(c.trackingNo, text, caseLink(links, id))
    : kind === 'ask' ? t.citizenQuestion(c.trackingNo, text, caseLink(links, id))
      : kind === 'close' ? t.citizenClosedResult(c.trackingNo, text, photos, caseLink(links, id), surveyLink(links, id))
        : t.citizenRejected(c.trackingNo, text, caseLink(links, id));
  return out.slice(0, LINE_TEXT_MAX);
}
