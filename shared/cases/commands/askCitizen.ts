import { OPEN_STATUSES } from '../../categories.ts';
import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';

export interface AskCitizenProps {
  caseId: string;
  /** An officer of the case's unit. */
  officer: OfficerRef;
  /** The question; the bot relays it to the complainant (whose LINE id the officer never sees). */
  question: string;
}

/** ขอข้อมูลเพิ่มเติม: an officer asks the complainant something; they answer with addCaseInfo. */
export async function askCitizen(deps: DomainDeps, props: AskCitizenProps): Promise<CommandResult<'not_found' | 'not_open' | 'no_line_user'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
  if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };
  // A case recorded from the hotline or a letter has nobody on LINE to ask (until they link it).
  if (!current.complainant?.lineUserId) return { ok: false, reason: 'no_line_user', case: current };

  const now = deps.clock.now();
  const event = newEvent('case.question_asked', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { officerId: props.officer.id });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { unitCode: current.unitCode, status: { $in: OPEN_STATUSES }, 'complainant.lineUserId': current.complainant.lineUserId },
    entry: { by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'asked', note: props.question, unitCode: current.unitCode },
    event,
  });
  if (!updated) {
    const now2 = await loadCase(deps, props.caseId);
    return now2 && (await mayActOn(deps.models, props.officer, now2)) ? { ok: false, reason: 'not_open', case: now2 } : { ok: false, reason: 'not_found' };
  }
  return { ok: true, case: updated };
}
