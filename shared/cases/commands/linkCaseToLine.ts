import { spendClaimCode, type ClaimFailure } from '../claimCodes.ts';
import { loadCase, writeCaseChange } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import type { CaseDoc } from '../../models/index.ts';

export interface LinkCaseToLineProps {
  /** The one-time claim code the unit gave the citizen (read out on the phone, printed on the receipt). */
  code: string;
  /** The tracking number, when the citizen sent it with the code: wrong codes then count against that case. */
  trackingNo?: string;
  /** Who is asking, from the verified webhook event. */
  lineUserId: string;
  lang: 'th' | 'en';
}

export type LinkResult =
  | { ok: true; case: CaseDoc; alreadyYours?: boolean; previousLineUserId?: string; previousLang?: 'th' | 'en'; eventId?: string }
  | { ok: false; reason: ClaimFailure };

/**
 * A case recorded by an officer from another channel becomes followable in LINE with the unit's
 * one-time claim code. Knowing the tracking number and the phone is not proof (a neighbour in a
 * dispute knows both); only the code, which the unit gives the complainant, is. A case already
 * linked to another account moves only with a fresh code, and the event says so: the previous account
 * and the unit are told (workers/notify.ts, bot/handlers/linkCase.ts).
 */
export async function linkCaseToLine(deps: DomainDeps, props: LinkCaseToLineProps): Promise<LinkResult> {
  let caseId: string | undefined;
  if (props.trackingNo) {
    const found = await deps.models.Case.findOne({ trackingNo: props.trackingNo }, { _id: 1 }).lean();
    if (!found) return { ok: false, reason: 'wrong' };
    caseId = String(found._id);
  }
  const spent = await spendClaimCode(deps.models, deps.clock, { code: props.code, caseId });
  if (!spent.ok) return spent;
  const current = await loadCase(deps, spent.caseId);
  if (!current || current.complainant?.anonymous) return { ok: false, reason: 'wrong' };
  const previous = current.complainant?.lineUserId ?? undefined;
  if (previous === props.lineUserId) return { ok: true, case: current, alreadyYours: true };

  const now = deps.clock.now();
  const relinked = Boolean(previous);
  const event = newEvent('case.line_linked', { caseId: String(current._id), trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { relinked });
  const updated = await writeCaseChange(deps, String(current._id), {
    guard: { 'complainant.lineUserId': previous ?? null },
    set: { 'complainant.lineUserId': props.lineUserId, 'complainant.lang': props.lang },
    entry: { by: { kind: 'citizen', id: props.lineUserId }, action: relinked ? 'line_relinked' : 'line_linked' },
    event,
  });
  if (!updated) return { ok: false, reason: 'used' };
  const previousLang = current.complainant?.lang === 'en' ? 'en' : 'th';
  return { ok: true, case: updated, ...(previous ? { previousLineUserId: previous, previousLang } : {}), eventId: event.id };
}
