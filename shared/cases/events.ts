import { randomUUID } from 'node:crypto';

/** Domain events: what happened to a case, queued for the workers that tell people about it. */
export type CaseEventType = 'case.opened' | 'case.assigned';

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

export function newEvent(type: CaseEventType, c: { caseId: string; trackingNo: string; unitCode: string }, at: Date, data: Record<string, unknown> = {}): CaseEvent {
  return { id: randomUUID(), type, ...c, at: at.toISOString(), data };
}
