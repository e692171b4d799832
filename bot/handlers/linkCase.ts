import { STATUS_LABELS, type CaseStatus } from '../../shared/categories.ts';
import { citizenCases } from '../../shared/cases/citizenCases.ts';
import { normaliseClaimCode } from '../../shared/cases/claimCodes.ts';
import { copy } from '../../shared/i18n/index.ts';
import { formatDate } from '../../shared/thaiDate.ts';
import { categoryLabel } from '../conversation/prompts.ts';
import { linkCaseToLine } from '../../shared/cases/commands/linkCaseToLine.ts';
import type { Ctx } from '../conversation/types.ts';
import type { BotDeps } from '../deps.ts';
import { text, type Message } from '../messages/build.ts';

/** Failed link attempts, kept on the conversation: a code alone cannot be pinned on a case, so the account is limited too. */
export interface LinkFailures { count: number; since: string }
const MAX_FAILURES = 5;
const WINDOW_MS = 3600_000;

const CODE = '[A-HJKMNP-Z2-9]{4}[\\s-]?[A-HJKMNP-Z2-9]{4}';
const TRACKING = '25\\d{2}-\\d{6}';
/**
 * "เชื่อมเรื่อง ABCD-EFGH", "link 2569-000123 ABCD-EFGH" or the code alone. The word or the 4-4 grouping
 * is needed while a complaint is being written, where "feedback" is a description, not a code.
 */
const CODE_MESSAGE = new RegExp(`^\\s*(เชื่อมเรื่อง|link)?\\s*(${TRACKING})?\\s*[,/:]?\\s*(${CODE})\\s*$`, 'i');
/** A tracking number alone, or with something after it (the retired "tracking number + phone"). */
const TRACKING_MESSAGE = new RegExp(`^\\s*(?:เชื่อมเรื่อง|link)?\\s*(${TRACKING})\\s*(.*)$`, 'is');
const LINK_WORD = /^\s*(เชื่อมเรื่อง|link)\s*$/i;

/** Which messages are about linking a case; `idle` says whether a complaint is being written meanwhile. */
export function isLinkMessage(message: string, idle: boolean): boolean {
  const m = CODE_MESSAGE.exec(message);
  if (m) return idle || Boolean(m[1]) || /[\s-]/.test(m[3]);
  const t = TRACKING_MESSAGE.exec(message);
  // A tracking number followed by words is a description ("2569-000123 still not fixed"), unless it looks like a phone.
  if (t) return !t[2].trim() || /^\+?[\d\s-]{8,18}$/.test(t[2].trim());
  return LINK_WORD.test(message);
}

/**
 * A citizen whose complaint an officer recorded (hotline, letter, walk-in) links it to their LINE with
 * the one-time code the unit gave them. The tracking number and phone are no proof any more (anyone
 * in a dispute with the complainant knows both): that message gets how to get a code.
 */
export async function linkCase(message: string, ctx: Ctx, deps: BotDeps, failures: LinkFailures | undefined): Promise<Message[]> {
  const m = CODE_MESSAGE.exec(message);
  if (!m) {
    const t = TRACKING_MESSAGE.exec(message);
    if (t && !t[2].trim()) return ownCaseStatus(t[1], ctx, deps);
    return [text(t ? ctx.t.linkByPhoneGone : ctx.t.linkUsage)];
  }
  const now = deps.clock.now().getTime();
  const recent = failures && now - new Date(failures.since).getTime() < WINDOW_MS ? failures : undefined;
  if (recent && recent.count >= MAX_FAILURES) return [text(ctx.t.linkTooMany)];

  const [, , trackingNo, code] = m;
  const result = await linkCaseToLine(deps, { code: normaliseClaimCode(code), ...(trackingNo ? { trackingNo } : {}), lineUserId: ctx.userId, lang: ctx.lang });
  if (!result.ok) {
    const next: LinkFailures = { count: (recent?.count ?? 0) + 1, since: recent?.since ?? new Date(now).toISOString() };
    await deps.models.Conversation.updateOne({ _id: ctx.userId }, { $set: { linkFailures: next } }, { upsert: true });
    const why = { wrong: ctx.t.linkFailed, expired: ctx.t.linkCodeExpired, used: ctx.t.linkCodeUsed, locked: ctx.t.linkCaseLocked }[result.reason];
    return [text(why)];
  }
  if (result.alreadyYours) return [text(ctx.t.linkAlreadyYours(result.case.trackingNo))];
  if (result.previousLineUserId) {
    // The account the case moved away from hears it at once: if that was the real complainant, they call.
    const t = copy(result.previousLang ?? 'th');
    await deps.line.push(result.previousLineUserId, [{ type: 'text', text: t.linkMovedAway(result.case.trackingNo) }], `${result.eventId}:previous`)
      .catch((err: Error) => deps.log.warn({ case: result.case.trackingNo, err: err.message }, 'relink: could not tell the previous account'));
  }
  return [text(ctx.t.linked(result.case.trackingNo, STATUS_LABELS[result.case.status][ctx.lang]))];
}

/**
 * A tracking number alone: the status of that case if it is the citizen's own; anyone else's number
 * gets the same answer as a number that does not exist (tracking numbers are sequential).
 */
async function ownCaseStatus(trackingNo: string, ctx: Ctx, deps: BotDeps): Promise<Message[]> {
  const cases = await citizenCases<{ trackingNo: string; category: string; problemType?: string; status: CaseStatus; createdAt: Date }>(
    deps.models, ctx.userId, { trackingNo: 1, category: 1, problemType: 1, status: 1, createdAt: 1 }, Infinity);
  const c = cases.find((x) => x.trackingNo === trackingNo);
  if (!c) return [text(ctx.t.linkUsage)];
  const line = ctx.t.caseLine({
    trackingNo: c.trackingNo, category: categoryLabel(c.category, ctx, c.problemType), status: STATUS_LABELS[c.status][ctx.lang], date: formatDate(c.createdAt as Date, ctx.lang),
  });
  return [text(`${ctx.t.caseStatusHeader}\n\n${line}`)];
}
