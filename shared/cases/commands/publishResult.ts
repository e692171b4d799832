import { mayActOn } from '../access.ts';
import type { OfficerRef } from '../actor.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { monthOf } from '../../reports/period.ts';
import { approvedResult, PUBLIC_RESULT_FIELDS, publicPhotoOf, publishRefusal } from '../../publicResults/index.ts';

/** Timeline actions of these commands: officers and the complainant see that the result was made public, and when it stopped. */
export const RESULT_PUBLISHED_ACTION = 'result_published';
export const RESULT_WITHDRAWN_ACTION = 'result_withdrawn';

export interface PublishResultProps {
  caseId: string;
  /** An officer of the case's unit. */
  officer: OfficerRef;
  /** The public text, as the officer edited it (redacted again here). */
  summary: string;
}

/**
 * เผยแพร่ผลการแก้ไขต่อสาธารณะ after the close: the officer approves the result summary and the first
 * "after" photo for the public figures page. Only for a case closed as resolved whose problem is a
 * place and which is not sensitive (shared/publicResults publishRefusal).
 */
export async function publishResult(deps: DomainDeps, props: PublishResultProps): Promise<CommandResult<'not_found' | 'not_closed' | 'not_publishable'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
  if (current.status !== 'closed' || current.resolution?.kind !== 'resolved') return { ok: false, reason: 'not_closed', case: current };
  if (publishRefusal(current)) return { ok: false, reason: 'not_publishable', case: current };
  const now = deps.clock.now();
  const photo = publicPhotoOf(current.attachments);
  const closedAt = current.resolution?.at ? new Date(current.resolution.at) : now;
  const event = newEvent('case.result_published', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { officerId: props.officer.id });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { unitCode: current.unitCode, status: 'closed' },
    set: approvedResult(props.officer, props.summary, photo, now, current.report?.closedMonth ?? monthOf(closedAt)),
    entry: { by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: RESULT_PUBLISHED_ACTION, unitCode: current.unitCode },
    event,
  });
  if (updated) return { ok: true, case: updated };
  const again = await loadCase(deps, props.caseId);
  return again && (await mayActOn(deps.models, props.officer, again)) ? { ok: false, reason: 'not_closed', case: again } : { ok: false, reason: 'not_found' };
}

/** Takes a published result off the public page (and its photo off the photo route) at once. */
export async function withdrawPublicResult(deps: DomainDeps, props: { caseId: string; officer: OfficerRef }): Promise<CommandResult<'not_found' | 'not_published'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
  if (!current.publicSlug) return { ok: false, reason: 'not_published', case: current };
  const now = deps.clock.now();
  const event = newEvent('case.result_withdrawn', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { officerId: props.officer.id });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { unitCode: current.unitCode, publicSlug: current.publicSlug },
    unset: [...PUBLIC_RESULT_FIELDS],
    entry: { by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: RESULT_WITHDRAWN_ACTION, unitCode: current.unitCode },
    event,
  });
  if (updated) return { ok: true, case: updated };
  const again = await loadCase(deps, props.caseId);
  return again && (await mayActOn(deps.models, props.officer, again)) ? { ok: false, reason: 'not_published', case: again } : { ok: false, reason: 'not_found' };
}
