import { randomUUID } from 'node:crypto';

/** Domain events: what happened to a case, queued for the workers that tell people about it. */
export type CaseEventType =
  | 'case.opened'
  | 'case.assigned'
  /** The complainant added text/photos. */
  | 'case.info_added'
  /** The complainant withdrew it (status closed, resolution withdrawn). */
  | 'case.withdrawn'
  | 'case.survey_submitted'
  /** An officer recorded progress (status in_progress). */
  | 'case.note_added'
  /** An officer wrote an internal note (officers only: nobody outside the unit is told). */
  | 'case.internal_note_added'
  /** An officer asked the complainant for more information, relayed by the bot. */
  | 'case.question_asked'
  /** Service Link: sent on to another unit (data.fromUnitCode; unitCode is the new unit). */
  | 'case.forwarded'
  /** A supervisor took a case of a unit below into their own unit (data.fromUnitCode; unitCode is theirs). */
  | 'case.taken_over'
  /** ยุติเรื่อง with a result summary. */
  | 'case.closed'
  /** The complainant said the problem is not fixed: open again (data.toParent: sent up to the parent unit; data.fromUnitCode). */
  | 'case.reopened'
  /** ไม่รับเรื่อง with a reason. */
  | 'case.rejected'
  /** A case recorded from another channel was linked to the complainant's LINE with the unit's one-time claim code (data.relinked: it moved from another LINE account). */
  | 'case.line_linked'
  /** An officer linked two cases as the same or a related problem (data.otherTrackingNo); on both cases, nobody outside is told. */
  | 'case.linked'
  /** Merged into another case (data.targetTrackingNo): closed with a pointer; its complainant and followers now follow the target. */
  | 'case.merged'
  /** Another case was merged into this one (data.sourceTrackingNo); who is told goes with the source's case.merged. */
  | 'case.merge_received'
  /** The complainant's personal data was removed (their request, or the retention run); data.open: the unit can no longer reach them. */
  | 'case.anonymised'
  /** An officer approved the result (summary, after photo) for the public figures page, or withdrew it: nobody is notified. */
  | 'case.result_published'
  | 'case.result_withdrawn'
  /** "แจ้งด้วย": one more citizen reported the same problem and follows the case (data.supporterCount). */
  | 'case.joined'
  /** A follower stopped following (nobody is told; the timeline keeps the step). */
  | 'case.unfollowed';

export interface CaseEvent {
  /** Stable id: also the BullMQ job id and the seed of LINE retry keys, so a replay sends nothing twice. */
  id: string;
  type: CaseEventType;
  caseId: string;
  trackingNo: string;
  unitCode: string;
  /** ISO time. */
  at: string;
  data: Record<string, unknown>;
}

export type PublishEvents = (events: CaseEvent[]) => Promise<void>;

export function newEvent(type: CaseEventType, c: { caseId: string; trackingNo: string; unitCode: string }, at: Date, data: Record<string, unknown> = {}, id: string = randomUUID()): CaseEvent {
  return { id, type, ...c, at: at.toISOString(), data };
}
