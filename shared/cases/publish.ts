import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import type { CaseEvent, PublishEvents } from './events.ts';

/**
 * Second half of the outbox: queue the events a command wrote onto the case. They stay in the outbox
 * until their consumers are done (shared/cases/outbox.ts); if the process dies before queuing, or
 * Redis loses the jobs, the worker's outbox sweep queues them again. The queue's job id (the event
 * id) makes a second publish a no-op.
 */
export async function publishEvents(publish: PublishEvents, events: CaseEvent[]): Promise<void> {
  if (!events.length) return;
  await publish(events);
}

export function toStored(e: CaseEvent) {
  // queuedAt: wall-clock time, for the sweep's grace period (the event's own time follows the injected clock).
  return { id: e.id, type: e.type, at: new Date(e.at), queuedAt: new Date(), data: { ...e.data, caseId: e.caseId, trackingNo: e.trackingNo, unitCode: e.unitCode } };
}

export function fromStored(s: { id: string; type: string; at: Date; data?: unknown }): CaseEvent {
  const { caseId, trackingNo, unitCode, ...data } = (s.data ?? {}) as Record<string, unknown>;
  return { id: s.id, type: s.type as CaseEvent['type'], at: s.at.toISOString(), caseId: String(caseId), trackingNo: String(trackingNo), unitCode: String(unitCode), data };
}

/** Publishes what is in a case's outbox now (a client's retry of an intake that had already created the case). */
export async function republishCase(models: Models, publish: PublishEvents, caseId: Types.ObjectId | string): Promise<void> {
  const c = await models.Case.findById(caseId, { pendingEvents: 1 }).lean();
  await publishEvents(publish, (c?.pendingEvents ?? []).map(fromStored));
}
