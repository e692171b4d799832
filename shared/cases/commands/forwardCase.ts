import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { computeDeadlines, unitChainFor } from '../../sla/deadlines.ts';
import { slaContext } from '../../sla/load.ts';

export interface ForwardCaseProps {
  caseId: string;
  /** An officer of the case's current unit. */
  officer: OfficerRef;
  /** The unit to send it to: any centre or partner agency in the Unit collection. */
  toUnitCode: string;
  /** Why that unit (shown to it and to the complainant). */
  reason: string;
}

export type ForwardCaseReason = 'not_found' | 'not_open' | 'unknown_unit' | 'same_unit' | 'concerned_unit';

/**
 * Service Link (รับเรื่องแล้วส่งต่อ): the case moves to the unit able to solve it. Never to the unit the
 * complaint is about. The new unit must take it afresh (assignee cleared, status forwarded); what the
 * complainant holds — tracking number, dates — stays as it is.
 */
export async function forwardCase(deps: DomainDeps, props: ForwardCaseProps): Promise<CommandResult<ForwardCaseReason>> {
  // As closeCase: a write that lost to another change while the case stayed open is tried again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };
    if (props.toUnitCode === current.unitCode) return { ok: false, reason: 'same_unit', case: current };
    if (current.concernedUnitCode && props.toUnitCode === current.concernedUnitCode) return { ok: false, reason: 'concerned_unit', case: current };
    const unit = await deps.models.Unit.findById(props.toUnitCode).lean();
    if (!unit) return { ok: false, reason: 'unknown_unit', case: current };

    const now = deps.clock.now();
    // The new unit gets its own acknowledgement window from now and its resolution target (counted from
    // receipt: forwarding buys no time); the citizen's s.38 answer date stays what they were promised.
    const sla = deps.sla ?? slaContext();
    const receivedAt = current.receivedAt ?? (current as { createdAt?: Date }).createdAt ?? now;
    const deadlines = computeDeadlines({
      receivedAt: new Date(receivedAt), ackFrom: now, channel: current.channel, category: current.category,
      unitChain: await unitChainFor(sla.policy, props.toUnitCode, deps.models),
    }, sla);
    const event = newEvent('case.forwarded', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: props.toUnitCode }, now, {
      fromUnitCode: current.unitCode, officerId: props.officer.id,
    });
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { unitCode: current.unitCode, status: current.status },
      set: {
        unitCode: props.toUnitCode, status: 'forwarded',
        ackDueAt: deadlines.ackDueAt, resolveDueAt: deadlines.resolveDueAt,
        // A case from before deadlines existed gets its answer date now, from receipt: filled, never reset.
        ...(current.answerDueAt ? {} : { answerDueAt: deadlines.answerDueAt }),
      },
      unset: ['assignee'],
      entry: {
        by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'forwarded', note: props.reason,
        fromStatus: current.status, toStatus: 'forwarded', unitCode: props.toUnitCode, fromUnitCode: current.unitCode,
      },
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  const now2 = await loadCase(deps, props.caseId);
  return now2 && (await mayActOn(deps.models, props.officer, now2)) ? { ok: false, reason: 'not_open', case: now2 } : { ok: false, reason: 'not_found' };
}
