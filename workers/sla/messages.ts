/**
 * SLA notification texts: the officers' digest of a run (Thai: officers' LINE is Thai) and the
 * citizen's apology in their language. The copy lives in shared/i18n with the rest of the bot's;
 * these functions only arrange it. Pure, so tests read them directly.
 */
import { copy } from '../../shared/i18n/index.ts';
import { formatDateTime, type Lang } from '../../shared/thaiDate.ts';
import type { SlaNotification } from '../../shared/sla/plan.ts';

export interface DigestLine {
  n: SlaNotification;
  trackingNo: string;
  /** escalate: the unit the case sits at. */
  unitName?: string;
}

/** A LINE text message holds 5,000 characters. */
const MAX_TEXT = 5000;

/** One message per officer per run: escalated to you, overdue (กระตุ้น), due soon (เตือน). */
/**
 * `actLink`: where the reader acts on the escalated cases (the LIFF list of late cases below their
 * unit, where a head takes a case over or assigns it): an escalation nobody can act on is no escalation.
 */
export function officerDigest(lines: DigestLine[], now: Date, lang: Lang = 'th', actLink?: string): string {
  const t = copy(lang);
  const when = (d: Date) => formatDateTime(d, lang);
  const sorted = [...lines].sort((a, b) => a.trackingNo.localeCompare(b.trackingNo) || a.n.key.localeCompare(b.n.key));
  const part = (title: string, kind: SlaNotification['kind'], line: (l: DigestLine) => string) => {
    const ls = sorted.filter((l) => l.n.kind === kind);
    return ls.length ? [`${title} (${ls.length})`, ...ls.map((l) => `• ${line(l)}`)].join('\n') : '';
  };
  const text = [
    t.slaDigestTitle(when(now)),
    [part(t.slaDigestEscalated, 'escalate', (l) => t.slaEscalatedLine(l.trackingNo, l.unitName ?? l.n.unitCode, t.slaWindow[l.n.window], when(l.n.deadline), l.n.level ?? 0)),
      actLink && sorted.some((l) => l.n.kind === 'escalate') ? t.slaEscalatedAct(actLink) : ''].filter(Boolean).join('\n'),
    part(t.slaDigestNudge, 'nudge', (l) => t.slaNudgeLine(l.trackingNo, t.slaWindow[l.n.window], when(l.n.deadline))),
    part(t.slaDigestRemind, 'remind', (l) => t.slaRemindLine(l.trackingNo, t.slaWindow[l.n.window], when(l.n.deadline))),
  ].filter(Boolean).join('\n\n');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 10)}\n…` : text;
}

/** The acknowledgement target was missed: say sorry and give the new expected date. */
export function citizenApology(trackingNo: string, newExpectedAt: Date, lang: Lang): string {
  return copy(lang).slaApology(trackingNo, formatDateTime(newExpectedAt, lang));
}
