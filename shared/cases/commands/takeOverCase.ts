import type { OfficerRef } from '../actor.ts';
import { isSupervisorRole, mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { computeDeadlines, unitChainFor } from '../../sla/deadlines.ts';
import { slaContext } from '../../sla/load.ts';
import type { CaseDoc } from '../../models/index.ts';

export interface TakeOverCaseProps {
  caseId: string;
  /** A head, executive or admin of a unit above the case's unit. */
  officer: OfficerRef;
  /** Why (on the timeline; the complainant is told who holds the case now). */
  reason: string;
  /**
   * Who will work it: the supervisor themself by default, or a named officer of the supervisor's unit
   * (assignCaseToOfficer); they get a LINE alert.
   */
  assignee?: { id: string; name: string };
}

export type TakeOverReason = 'not_found' | 'not_open' | 'not_supervisor' | 'same_unit';

/**
 * รับเรื่องไว้เอง: a supervisor takes a case of a unit below into their own unit, assigned to them (or
 * to an officer of theirs). Used for a case nobody below can or does act on: a district with no
 * registered officer, a late unit. The unit's acknowledgement window is re-planned from now, as on a
 * forward; the complainant's answer date stays what they were promised.
 */
export async function takeOverCase(deps: DomainDeps, props: TakeOverCaseProps): Promise<CommandResult<TakeOverReason>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
    if (!isSupervisorRole(props.officer.role)) return { ok: false, reason: 'not_supervisor', case: current };
    if (current.unitCode === props.officer.unitCode) return { ok: false, reason: 'same_unit', case: current };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };

    const now = deps.clock.now();
    const sla = deps.sla ?? slaContext();
    const receivedAt = current.receivedAt ?? (current as { createdAt?: Date }).createdAt ?? now;
    const deadlines = computeDeadlines({
      receivedAt: new Date(receivedAt), ackFrom: now, channel: current.channel, category: current.category,
      unitChain: await unitChainFor(sla.policy, props.officer.unitCode, deps.models),
    }, sla);
    const assignee = props.assignee ?? { id: props.officer.id, name: props.officer.name };
    const event = newEvent('case.taken_over', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: props.officer.unitCode }, now, {
      fromUnitCode: current.unitCode, officerId: props.officer.id, officerName: props.officer.name,
      assigneeId: assignee.id, assigneeName: assignee.name,
    });
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { unitCode: current.unitCode, status: current.status },
      set: {
        unitCode: props.officer.unitCode, status: 'assigned',
        assignee: { officerId: assignee.id, name: assignee.name },
        ackDueAt: deadlines.ackDueAt, resolveDueAt: deadlines.resolveDueAt,
        ...(current.answerDueAt ? {} : { answerDueAt: deadlines.answerDueAt }),
      },
      entry: {
        by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'taken_over',
        note: props.assignee ? `${props.reason} → ${assignee.name}`.trim() : props.reason,
        fromStatus: current.status, toStatus: 'assigned', unitCode: props.officer.unitCode, fromUnitCode: current.unitCode,
      },
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  const now2: CaseDoc | null = await loadCase(deps, props.caseId);
  return now2 && (await mayActOn(deps.models, props.officer, now2)) ? { ok: false, reason: 'not_open', case: now2 } : { ok: false, reason: 'not_found' };
}
