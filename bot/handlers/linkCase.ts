import { STATUS_LABELS, type CaseStatus } from '../../shared/categories.ts';
import { citizenCases } from '../../shared/cases/citizenCases.ts';
import { formatDate } from '../../shared/thaiDate.ts';
import { categoryLabel } from '../conversation/prompts.ts';
import { linkCaseToLine } from '../../shared/cases/commands/linkCaseToLine.ts';
import type { ConversationDeps, Ctx } from '../conversation/types.ts';
import { text, type Message } from '../messages/build.ts';

/** Failed link attempts, kept on the conversation: tracking numbers are sequential, phones must not be guessable. */
export interface LinkFailures { count: number; since: string }
const MAX_FAILURES = 5;
/** The whole message is a tracking number, optionally with a phone: a description that merely mentions a number is not. */
export const LINK_MESSAGE = /^\s*(25\d{2}-\d{6})\s*[,/:]?\s*(\+?[\d][\d\s-]{6,16}\d)?\s*$/;
const WINDOW_MS = 3600_000;

/**
 * "2569-000123 0812345678": a citizen whose complaint an officer recorded (hotline, letter, walk-in)
 * links it to their LINE with the tracking number and the phone they gave.
 */
export async function linkCase(message: string, ctx: Ctx, deps: ConversationDeps, failures: LinkFailures | undefined): Promise<Message[]> {
  const now = deps.clock.now().getTime();
  const recent = failures && now - new Date(failures.since).getTime() < WINDOW_MS ? failures : undefined;
  if (recent && recent.count >= MAX_FAILURES) return [text(ctx.t.linkTooMany)];

  const [, trackingNo, phone] = LINK_MESSAGE.exec(message)!;
  if (!phone) return ownCaseStatus(trackingNo, ctx, deps);
  const result = await linkCaseToLine(deps, { trackingNo, phone, lineUserId: ctx.userId, lang: ctx.lang });
  if (!result.ok) {
    const next: LinkFailures = { count: (recent?.count ?? 0) + 1, since: recent?.since ?? new Date(now).toISOString() };
    await deps.models.Conversation.updateOne({ _id: ctx.userId }, { $set: { linkFailures: next } }, { upsert: true });
    return [text(ctx.t.linkFailed)];
  }
  return [text(ctx.t.linked(result.case.trackingNo, STATUS_LABELS[result.case.status][ctx.lang]))];
}

/**
 * A tracking number alone: the status of that case if it is the citizen's own; anyone else's number
 * gets the same answer as a number that does not exist (tracking numbers are sequential).
 */
async function ownCaseStatus(trackingNo: string, ctx: Ctx, deps: ConversationDeps): Promise<Message[]> {
  const cases = await citizenCases<{ trackingNo: string; category: string; status: CaseStatus; createdAt: Date }>(
    deps.models, ctx.userId, { trackingNo: 1, category: 1, status: 1, createdAt: 1 }, Infinity);
  const c = cases.find((x) => x.trackingNo === trackingNo);
  if (!c) return [text(ctx.t.linkUsage)];
  const line = ctx.t.caseLine({
    trackingNo: c.trackingNo, category: categoryLabel(c.category, ctx), status: STATUS_LABELS[c.status][ctx.lang], date: formatDate(c.createdAt as Date, ctx.lang),
  });
  return [text(`${ctx.t.caseStatusHeader}\n\n${line}`)];
}
