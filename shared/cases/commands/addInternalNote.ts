import { mayActOn } from '../access.ts';
import type { OfficerRef } from '../actor.ts';
import { OPEN_STATUSES } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';

export interface AddInternalNoteProps {
  caseId: string;
  /** An officer of the case's unit. */
  officer: OfficerRef;
  /** Working notes for colleagues (whom they called, what to check next); never shown or sent to the complainant. */
  text: string;
}

/** Timeline action of an internal note: views for citizens and partners leave such entries out. */
export const INTERNAL_NOTE_ACTION = 'internal_note';

/**
 * บันทึกภายใน: a note only officers read. Unlike a progress update it changes neither the status nor
 * the assignee (the citizen would see those) and it does not count as answering the complainant.
 */
export async function addInternalNote(deps: DomainDeps, props: AddInternalNoteProps): Promise<CommandResult<'not_found' | 'not_open'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
  if (!(OPEN_STATUSES as readonly string[]).includes(current.status)) return { ok: false, reason: 'not_open', case: current };

  const now = deps.clock.now();
  const event = newEvent('case.internal_note_added', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { officerId: props.officer.id });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { unitCode: current.unitCode, status: { $in: OPEN_STATUSES } },
    entry: { by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: INTERNAL_NOTE_ACTION, note: props.text, unitCode: current.unitCode },
    event,
  });
  if (updated) return { ok: true, case: updated };
  const again = await loadCase(deps, props.caseId);
  return again && (await mayActOn(deps.models, props.officer, again)) ? { ok: false, reason: 'not_open', case: again } : { ok: false, reason: 'not_found' };
}
