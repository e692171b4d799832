import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { monthOf } from '../../reports/period.ts';

export interface RejectCaseProps {
  caseId: string;
  /** An officer of the case's unit. */
  officer: OfficerRef;
  /** Why the centre cannot take it (told to the complainant). */
  reason: string;
}

/** ไม่รับเรื่อง: outside the centre's remit, a duplicate, not a complaint… with the reason. */
export async function rejectCase(deps: DomainDeps, props: RejectCaseProps): Promise<CommandResult<'not_found' | 'not_open'>> {
  // As closeCase: a write that lost to another change while the case stayed open is tried again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };

    const now = deps.clock.now();
    const event = newEvent('case.rejected', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { officerId: props.officer.id });
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { unitCode: current.unitCode, status: current.status },
      set: { status: 'rejected', resolution: { kind: 'rejected', text: props.reason, at: now }, 'report.closedMonth': monthOf(now) },
      entry: { by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'rejected', note: props.reason, fromStatus: current.status, toStatus: 'rejected', unitCode: current.unitCode },
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  const now2 = await loadCase(deps, props.caseId);
  return now2 && (await mayActOn(deps.models, props.officer, now2)) ? { ok: false, reason: 'not_open', case: now2 } : { ok: false, reason: 'not_found' };
}
