/**
 * The case outbox, consumer side. A command writes its event onto the case (`pendingEvents`, in the
 * same update as the change) and queues it; the worker hands it to each consumer as a job of its own.
 * The event stays in the outbox until every consumer has recorded that it is done with it, so a
 * Redis that loses queued jobs (restart, flush) loses no event: the worker's sweep finds the entry
 * and queues again what is missing (job ids are event ids: twice queued is once run).
 */
import type { Models } from '../models/index.ts';
import { consumedMarkerId, isMarked, markOnce } from '../store/claim.ts';
import { updateCaseGuarded } from '../store/guardedUpdate.ts';

/** Everything that acts on a domain event, one job each (workers/events/). */
export const EVENT_CONSUMERS = ['notify', 'partners', 'sla', 'counters'] as const;
export type EventConsumer = (typeof EVENT_CONSUMERS)[number];

/**
 * "Consumer X is done with event E" is a unique insert into the claims collection (atomic on MongoDB
 * and FerretDB alike; no new collection to create at run time). Claims are dropped after a day; the
 * sweep gives an event up well before that (OUTBOX_GIVE_UP_MS), so a marker outlives its outbox entry.
 */
export async function markConsumed(models: Models, consumer: EventConsumer, eventId: string): Promise<void> {
  await markOnce(models, consumedMarkerId(consumer, eventId));
}

export async function isConsumed(models: Models, consumer: EventConsumer, eventId: string): Promise<boolean> {
  return isMarked(models, consumedMarkerId(consumer, eventId));
}

/** The consumers done with an event (by `_id` lookups: the only filter FerretDB answers from an index). */
export async function consumedBy(models: Models, eventId: string): Promise<Set<EventConsumer>> {
  const done = await Promise.all(EVENT_CONSUMERS.map((c) => isConsumed(models, c, eventId)));
  return new Set(EVENT_CONSUMERS.filter((_c, i) => done[i]));
}

/** Drops events from a case's outbox (a no-op for ids no longer there). */
export async function dropFromOutbox(models: Models, caseId: string, eventIds: string[]): Promise<void> {
  const ids = new Set(eventIds);
  // Through the version claim like every case write (shared/store/guardedUpdate.ts), and as a $set of what is
  // left: FerretDB v1's $pull matches no subdocument by a field condition (it would remove nothing).
  await updateCaseGuarded(models, caseId, {}, (c) => {
    const left = (c.pendingEvents ?? []).filter((p) => !ids.has(p.id));
    return { $set: { pendingEvents: left, hasOutbox: left.length > 0 } };
  }, { byIdOnly: true });
}

/**
 * Called by each consumer once done: the last one to finish empties the outbox entry. Two finishing
 * at once may each miss the other's fresh marker (FerretDB reads can lag an insert): then the sweep
 * drops the entry on its next pass.
 */
export async function settleIfConsumed(models: Models, caseId: string, eventId: string): Promise<boolean> {
  // One consumer after another, stopping at the first still at work: every consumer but the last
  // one to finish pays one or two reads, not four.
  for (const c of EVENT_CONSUMERS) if (!(await isConsumed(models, c, eventId))) return false;
  const c = await models.Case.findById(caseId, { pendingEvents: 1 }).lean();
  if (!c || !(c.pendingEvents ?? []).some((p) => p.id === eventId)) return true;
  await dropFromOutbox(models, caseId, [eventId]);
  return true;
}
