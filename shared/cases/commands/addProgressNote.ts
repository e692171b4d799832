import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';

export interface AddProgressNoteProps {
  caseId: string;
  /** An officer of the case's unit. */
  officer: OfficerRef;
  /** What was done; the complainant sees it on the timeline and in their chat. */
  text: string;
  /** A caller's own id for this write (a partner's retried request): the same id never writes twice. */
  eventId?: string;
}

/**
 * บันทึกความคืบหน้า: the case is in progress. If nobody had taken it yet, the officer writing progress
 * becomes its assignee (they are the one working it).
 */
export async function addProgressNote(deps: DomainDeps, props: AddProgressNoteProps): Promise<CommandResult<'not_found' | 'not_open'>> {
  // Two officers writing at once: the loser of the guarded update simply tries again on the fresh case.
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };

    const now = deps.clock.now();
    const takes = !current.assignee?.officerId;
    if (props.eventId && current.timeline?.some((e) => e.eventId === props.eventId)) return { ok: true, case: current };
    const event = newEvent('case.note_added', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, {
      officerId: props.officer.id, statusChanged: current.status !== 'in_progress',
    }, props.eventId);
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { unitCode: current.unitCode, status: current.status, 'assignee.officerId': current.assignee?.officerId ?? null },
      set: { status: 'in_progress', ...(takes ? { assignee: { officerId: props.officer.id, name: props.officer.name } } : {}) },
      entry: { by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'note', note: props.text, fromStatus: current.status, toStatus: 'in_progress', unitCode: current.unitCode },
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  const now = await loadCase(deps, props.caseId);
  if (!now || !(await mayActOn(deps.models, props.officer, now))) return { ok: false, reason: 'not_found' };
  return { ok: false, reason: 'not_open', case: now };
}
