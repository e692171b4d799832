import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { parentUnitCode } from '../routing.ts';
import { computeDeadlines, unitChain } from '../../sla/deadlines.ts';
import { slaContext } from '../../sla/load.ts';
import { dueAt, reopenTargetFor } from '../../sla/policy.ts';
import { MINISTRY_UNIT_CODE } from '../../units/catalog.ts';
import type { CaseDoc, Models } from '../../models/index.ts';
import { surveyAnswered } from './submitSurvey.ts';

export interface ReopenCaseProps {
  caseId: string;
  /** The complainant's LINE user id: only they can say their problem is not fixed. */
  lineUserId: string;
  /** Why, in their own words (shown on the timeline and to the officers). */
  reason: string;
}

export type ReopenCaseReason =
  | 'not_found'
  /** Still open, withdrawn, rejected: nothing to reopen. */
  | 'not_closed'
  /** This closure was reopened already (one reopen per closure). */
  | 'already_reopened'
  /** They answered that the problem is fixed and rated it 3 stars or more. */
  | 'satisfied';

/** The unit above `code` that may take the case: never the unit the complaint is about. */
async function parentFor(models: Pick<Models, 'Unit'>, code: string, concerned?: string | null): Promise<string> {
  let cur = code;
  for (let i = 0; i < 4 && cur !== MINISTRY_UNIT_CODE; i++) {
    const unit = await models.Unit.findById(cur, { parentCode: 1 }).lean<{ parentCode?: string | null }>();
    cur = unit?.parentCode ?? parentUnitCode(cur);
    if (cur !== concerned) return cur;
  }
  return code === MINISTRY_UNIT_CODE ? code : MINISTRY_UNIT_CODE;
}

type ReopenView = Pick<CaseDoc, 'status' | 'resolution' | 'reopens' | 'survey' | 'report'>;

/** Why this case cannot be reopened by its complainant now, or null when it can (the LIFF page offers it then). */
export function reopenRefusal(c: ReopenView): Exclude<ReopenCaseReason, 'not_found'> | null {
  const reopens = c.reopens ?? [];
  const closedAt = c.resolution?.at ? new Date(c.resolution.at).getTime() : undefined;
  if (c.status !== 'closed' || c.resolution?.kind !== 'resolved' || closedAt === undefined) {
    // Pressed again after it reopened: say so rather than "not closed".
    return reopens.length && c.status !== 'closed' && c.status !== 'rejected' ? 'already_reopened' : 'not_closed';
  }
  if (reopens.some((r) => r.closedAt && new Date(r.closedAt).getTime() === closedAt)) return 'already_reopened';
  if (surveyAnswered(c) && c.survey?.fixed !== false && (c.survey?.score ?? 0) > 2) return 'satisfied';
  return null;
}

/**
 * เปิดเรื่องใหม่: the complainant says the problem was not fixed. The first time the case goes back to
 * the unit that closed it (in progress, the same assignee); from the second time on, a unit that closed
 * it twice is not believed a third time and it goes up to the parent unit, like a forward. Either way
 * the case counts open again in the official tables and gets a fresh resolution deadline from the
 * policy's `reopen` target. One reopen per closure: the guard holds the closure read.
 */
export async function reopenCase(deps: DomainDeps, props: ReopenCaseProps): Promise<CommandResult<ReopenCaseReason>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !current.complainant?.lineUserId || current.complainant.lineUserId !== props.lineUserId) return { ok: false, reason: 'not_found' };
  const refusal = reopenRefusal(current);
  if (refusal) return { ok: false, reason: refusal, case: current };
  const closedAt = new Date(current.resolution!.at!);
  const reopens = current.reopens ?? [];

  const now = deps.clock.now();
  const sla = deps.sla ?? slaContext();
  const count = current.report?.reopens ?? 0;
  // The ministry has nobody above it: there a second reopen stays where it is.
  const unitCode = count >= 1 ? await parentFor(deps.models, current.unitCode, current.concernedUnitCode) : current.unitCode;
  const toParent = unitCode !== current.unitCode;
  const chain = await unitChain(unitCode, deps.models);
  const resolveDueAt = dueAt(reopenTargetFor(sla.policy, chain).target, now, sla.calendar);
  // Sent up: the parent unit must take it afresh, with its own acknowledgement window from now.
  const ackDueAt = toParent
    ? computeDeadlines({ receivedAt: new Date(current.receivedAt ?? (current as { createdAt?: Date }).createdAt ?? now), ackFrom: now, channel: current.channel, category: current.category, unitChain: chain }, sla).ackDueAt
    : undefined;
  const status = toParent ? 'forwarded' : 'in_progress';
  const entryNo = { at: now, reason: props.reason, closedAt, fromUnitCode: current.unitCode, unitCode };
  const event = newEvent('case.reopened', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode }, now, {
    fromUnitCode: current.unitCode, toParent, ...(current.assignee?.officerId ? { assigneeId: current.assignee.officerId } : {}),
  });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { 'complainant.lineUserId': props.lineUserId, status: 'closed', unitCode: current.unitCode, 'resolution.at': closedAt },
    set: {
      status, unitCode, resolveDueAt, escalationLevel: 0,
      ...(ackDueAt ? { ackDueAt } : {}),
      reopens: [...reopens, entryNo],
      'report.reopens': count + 1,
    },
    // Open again: no closing month or time-to-close until it closes again (closeCase sets them anew).
    unset: ['resolution', 'report.closedMonth', 'report.closeDays', 'report.slaMet', ...(toParent ? ['assignee'] : [])],
    entry: {
      by: { kind: 'citizen', id: props.lineUserId }, action: 'reopened', note: props.reason,
      fromStatus: 'closed', toStatus: status, unitCode, ...(toParent ? { fromUnitCode: current.unitCode } : {}),
    },
    event,
  });
  if (!updated) {
    const now2 = await loadCase(deps, props.caseId);
    return { ok: false, reason: now2 && now2.status !== 'closed' ? 'already_reopened' : 'not_closed', ...(now2 ? { case: now2 } : {}) };
  }
  return { ok: true, case: updated };
}
