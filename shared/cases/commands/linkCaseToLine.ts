import { normaliseThaiPhone } from '../../phone.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';

export interface LinkCaseToLineProps {
  /** เลขรับเรื่อง the officer gave the citizen (hotline, letter, walk-in…). */
  trackingNo: string;
  /** The phone the citizen gave when the case was recorded: proof that it is theirs. */
  phone: string;
  /** Who is asking, from the verified webhook event. */
  lineUserId: string;
  lang: 'th' | 'en';
}

/**
 * A case recorded by an officer from another channel becomes followable in LINE: tracking number +
 * the phone on record link it to the sender's LINE account, once. Any mismatch is one answer
 * (not_found), so the reply tells nothing about which part was wrong.
 */
export async function linkCaseToLine(deps: DomainDeps, props: LinkCaseToLineProps): Promise<CommandResult<'not_found'>> {
  const phone = normaliseThaiPhone(props.phone);
  if (!phone) return { ok: false, reason: 'not_found' };
  const found = await deps.models.Case.findOne({ trackingNo: props.trackingNo }, { _id: 1 }).lean();
  const current = found ? await loadCase(deps, String(found._id)) : null;
  if (!current || current.complainant?.phone !== phone || current.complainant?.anonymous) return { ok: false, reason: 'not_found' };
  if (current.complainant.lineUserId === props.lineUserId) return { ok: true, case: current };
  if (current.complainant.lineUserId) return { ok: false, reason: 'not_found' };

  const now = deps.clock.now();
  const event = newEvent('case.line_linked', { caseId: String(current._id), trackingNo: current.trackingNo, unitCode: current.unitCode }, now);
  const updated = await writeCaseChange(deps, String(current._id), {
    guard: { 'complainant.phone': phone, 'complainant.lineUserId': null },
    set: { 'complainant.lineUserId': props.lineUserId, 'complainant.lang': props.lang },
    entry: { by: { kind: 'citizen', id: props.lineUserId }, action: 'line_linked' },
    event,
  });
  return updated ? { ok: true, case: updated } : { ok: false, reason: 'not_found' };
}
