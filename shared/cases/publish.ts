import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import { updateCaseGuarded } from './caseUpdate.ts';
import type { CaseEvent, PublishEvents } from './events.ts';

/**
 * Second half of the outbox: queue the events a command wrote onto the case, then drop them from it.
 * If the process dies in between, `republishPendingEvents` finds them at the next start; the queue's
 * job id (the event id) makes the second publish a no-op.
 */
export async function publishAndClear(models: Models, publish: PublishEvents, caseId: Types.ObjectId | string, events: CaseEvent[]): Promise<void> {
  if (!events.length) return;
  await publish(events);
  // Through the version claim like every case write (see caseUpdate.ts), and as a $set of what is
  // left: FerretDB v1's $pull matches no subdocument by a field condition (it would remove nothing).
  // If the case stays busy the events remain in the outbox; the start-up sweep queues them again (same job ids).
  const done = new Set(events.map((e) => e.id));
  await updateCaseGuarded(models, String(caseId), {}, (c) => ({ $set: { pendingEvents: (c.pendingEvents ?? []).filter((p) => !done.has(p.id)) } }));
}

export function toStored(e: CaseEvent) {
  return { id: e.id, type: e.type, at: new Date(e.at), data: { ...e.data, caseId: e.caseId, trackingNo: e.trackingNo, unitCode: e.unitCode } };
}

export function fromStored(s: { id: string; type: string; at: Date; data?: unknown }): CaseEvent {
  const { caseId, trackingNo, unitCode, ...data } = (s.data ?? {}) as Record<string, unknown>;
  return { id: s.id, type: s.type as CaseEvent['type'], at: s.at.toISOString(), caseId: String(caseId), trackingNo: String(trackingNo), unitCode: String(unitCode), data };
}

/** Start-up sweep: publish whatever a crashed process left in case outboxes. */
export async function republishPendingEvents(models: Models, publish: PublishEvents): Promise<number> {
  let n = 0;
  const cursor = models.Case.find({ 'pendingEvents.0': { $exists: true } }, { pendingEvents: 1 }).lean().cursor();
  for await (const c of cursor) {
    const events = (c.pendingEvents ?? []).map(fromStored);
    await publishAndClear(models, publish, c._id, events);
    n += events.length;
  }
  return n;
}
