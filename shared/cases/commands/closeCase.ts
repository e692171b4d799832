import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { workingDaysToClose } from '../../reports/counters.ts';
import { slaContext } from '../../sla/load.ts';
import { monthOf } from '../../reports/period.ts';
import { approvedResult, PUBLIC_RESULT_FIELDS, publicPhotoOf, publishRefusal } from '../../publicResults/index.ts';

export interface CloseCaseProps {
  caseId: string;
  /** An officer of the case's unit. */
  officer: OfficerRef;
  /** The result, told to the complainant (ผลการดำเนินการ). */
  summary: string;
  /** "After" photos of the result, already uploaded by this officer for this case (liff/api officer uploads). */
  photos?: { fileId: string; contentType: string; size: number }[];
  /** A caller's own id for this write (a partner's retried request): the same id never writes twice. */
  eventId?: string;
  /**
   * เผยแพร่ผลการแก้ไขต่อสาธารณะ: the officer approved the result for the public figures page. `summary`
   * is the public text (the result as the officer edited it for the public; redacted again here).
   */
  publish?: { summary: string };
}

/** ยุติเรื่อง: the case is resolved; the complainant is told the result and asked to rate the service. */
export async function closeCase(deps: DomainDeps, props: CloseCaseProps): Promise<CommandResult<'not_found' | 'not_open' | 'not_publishable'>> {
  // The guard holds the status it read: a note or an acceptance landing first changes it and this
  // write matches nothing. The case is still open then, so the close is tried again on it as it is now.
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !(await mayActOn(deps.models, props.officer, current))) return { ok: false, reason: 'not_found' };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };
    if (props.publish && publishRefusal(current)) return { ok: false, reason: 'not_publishable', case: current };

    const now = deps.clock.now();
    const event = newEvent('case.closed', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { officerId: props.officer.id }, props.eventId);
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { unitCode: current.unitCode, status: current.status },
      set: {
        status: 'closed', resolution: { kind: 'resolved', text: props.summary, at: now }, ...closureReportFields(deps, current, now),
        // The guard holds the status, so no other close lands between this read and the write.
        'report.closures': (current.report?.closures ?? 0) + 1,
        ...(props.publish ? publicResultFields(props, now) : {}),
      },
      // A result published at an earlier closure (before a reopen) does not carry over to this one.
      ...(!props.publish && (current.publicResult || current.publicSlug) ? { unset: [...PUBLIC_RESULT_FIELDS] } : {}),
      entry: {
        by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'closed', note: props.summary, fromStatus: current.status, toStatus: 'closed', unitCode: current.unitCode,
        ...(props.photos?.length ? { photos: props.photos.length } : {}),
      },
      attachments: (props.photos ?? []).map((p) => ({ ...p, addedAt: now, kind: 'after' })),
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  const now2 = await loadCase(deps, props.caseId);
  return now2 && (await mayActOn(deps.models, props.officer, now2)) ? { ok: false, reason: 'not_open', case: now2 } : { ok: false, reason: 'not_found' };
}

/**
 * What a closure freezes on the case for the dashboard overview counters (shared/reports/counters.ts):
 * the month closed, working days taken and whether the deadline was met, so a later holiday edit or
 * deadline change does not move a case already closed. Also the merge's closure.
 */
export function closureReportFields(deps: Pick<DomainDeps, 'sla'>, c: { receivedAt?: Date | null; createdAt?: Date | null; resolveDueAt?: Date | null }, now: Date): Record<string, unknown> {
  const cal = (deps.sla ?? slaContext()).calendar;
  return {
    'report.closedMonth': monthOf(now),
    'report.closeDays': workingDaysToClose(cal, new Date((c.receivedAt ?? c.createdAt) as Date), now),
    ...(c.resolveDueAt ? { 'report.slaMet': now.getTime() <= new Date(c.resolveDueAt).getTime() } : {}),
  };
}

function publicResultFields(props: CloseCaseProps, now: Date): Record<string, unknown> {
  const photo = publicPhotoOf((props.photos ?? []).map((p) => ({ ...p, kind: 'after' })));
  return approvedResult(props.officer, props.publish!.summary, photo, now, monthOf(now));
}
