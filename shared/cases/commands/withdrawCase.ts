import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { monthOf } from '../../reports/period.ts';

export interface WithdrawCaseProps {
  caseId: string;
  /** The complainant's LINE user id: only they can withdraw their case. */
  lineUserId: string;
  /** Why, in their words (kept as the resolution text). */
  reason: string;
}

/** ถอนเรื่อง: the complainant no longer wants it handled. The case is closed (ยุติเรื่อง) as withdrawn. */
export async function withdrawCase(deps: DomainDeps, props: WithdrawCaseProps): Promise<CommandResult<'not_found' | 'not_open'>> {
  // As closeCase: a write that lost to another change while the case stayed open is tried again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !current.complainant?.lineUserId || current.complainant.lineUserId !== props.lineUserId) return { ok: false, reason: 'not_found' };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };

    const now = deps.clock.now();
    const event = newEvent('case.withdrawn', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, {
      assigneeId: current.assignee?.officerId ?? null,
    });
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { 'complainant.lineUserId': props.lineUserId, status: current.status },
      set: { status: 'closed', resolution: { kind: 'withdrawn', text: props.reason, at: now }, 'report.closedMonth': monthOf(now) },
      entry: { by: { kind: 'citizen', id: props.lineUserId }, action: 'withdrawn', note: props.reason, fromStatus: current.status, toStatus: 'closed' },
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  return { ok: false, reason: 'not_open', case: (await loadCase(deps, props.caseId)) ?? undefined };
}
