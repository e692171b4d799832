import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { OPEN_STATUSES } from '../../categories.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';

export interface AddCaseInfoProps {
  caseId: string;
  /** The complainant's LINE user id: only the person who filed a case can add to it. */
  lineUserId: string;
  /** What they add, as typed (stored as text, never interpreted). */
  text: string;
  /** Photos this person already uploaded (GridFS `attachments`). */
  attachments?: { fileId: string; contentType: string; size: number }[];
}

/**
 * The complainant adds information or photos to an open case (an answer to an officer's question, say),
 * from the LIFF page or straight from the chat (bot/conversation/answeringOfficer.ts).
 */
export async function addCaseInfo(deps: DomainDeps, props: AddCaseInfoProps): Promise<CommandResult<'not_found' | 'not_open'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !current.complainant?.lineUserId || current.complainant.lineUserId !== props.lineUserId) return { ok: false, reason: 'not_found' };
  if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };

  const now = deps.clock.now();
  // A photo already on the case is not attached twice (a chat turn retried after a crash sends it again).
  const have = new Set((current.attachments ?? []).map((a) => String(a.fileId)));
  const photos = (props.attachments ?? []).filter((p) => !have.has(String(p.fileId)));
  if (!props.text.trim() && !photos.length) return { ok: true, case: current };
  const event = newEvent('case.info_added', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { photos: photos.length });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { 'complainant.lineUserId': props.lineUserId, status: { $in: OPEN_STATUSES } },
    entry: { by: { kind: 'citizen', id: props.lineUserId }, action: 'info_added', note: props.text, photos: photos.length },
    attachments: photos.map((p) => ({ ...p, addedAt: now })),
    event,
  });
  if (!updated) return { ok: false, reason: 'not_open', case: (await loadCase(deps, props.caseId)) ?? undefined };
  return { ok: true, case: updated };
}
