import type { UpdateQuery } from 'mongoose';
import type { CaseDoc, Models } from '../models/index.ts';
import { updateCaseGuarded } from '../store/guardedUpdate.ts';
import type { Actor } from './actor.ts';
import type { DomainDeps } from './deps.ts';
import type { CaseEvent } from './events.ts';
import { publishEvents, toStored } from './publish.ts';
import { applyEventCounters, countsChangeOf, type CaseLike } from '../reports/counters.ts';
import { isConsumed, markConsumed } from './outbox.ts';
import { syncRelatedEntry, touchesEntry } from '../related/openIndex.ts';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** What a command returns: the case after the change, or why nothing changed (and the case as it is, if known). */
export type CommandResult<Reason extends string> =
  | { ok: true; case: CaseDoc }
  | { ok: false; reason: Reason; case?: CaseDoc };

/** The case, or null for an unknown or malformed id (ids come from URLs and postbacks). */
export async function loadCase(deps: Pick<DomainDeps, 'models'>, caseId: string): Promise<CaseDoc | null> {
  if (typeof caseId !== 'string' || !OBJECT_ID.test(caseId)) return null;
  return deps.models.Case.findById(caseId).lean<CaseDoc>();
}

export interface CaseChange {
  /**
   * What the command checked, as conditions of the update: if another change got in between (a close
   * while a note was being written), this update matches nothing instead of overwriting it.
   */
  guard: Record<string, unknown>;
  set?: Record<string, unknown>;
  unset?: string[];
  /** The timeline entry (its time and event id are filled in). */
  entry: { by: Actor; action: string; note?: string; fromStatus?: string; toStatus?: string; unitCode?: string; fromUnitCode?: string; photos?: number };
  /** Attachments to append. */
  attachments?: { fileId: string; contentType: string; size: number; addedAt: Date; kind?: string }[];
  event: CaseEvent;
}

/** A case as it will be after `$set`/`$unset` of plain (dotted) paths: what the counters need to know of it. */
function afterChange(c: CaseDoc, set: Record<string, unknown> = {}, unset: string[] = []): CaseLike {
  const { status, unitCode, category, channel, receivedAt, createdAt, updatedAt, resolveDueAt } = c as CaseDoc & { createdAt?: Date; updatedAt?: Date };
  const out: Record<string, unknown> = {
    status, unitCode, category, channel, receivedAt, createdAt, updatedAt, resolveDueAt,
    resolution: c.resolution ? { ...c.resolution } : c.resolution, survey: c.survey ? { ...c.survey } : c.survey, report: c.report ? { ...c.report } : c.report,
    // What data completeness looks at (the counters tally it too).
    description: c.description, location: c.location ? { ...c.location } : c.location, complainant: c.complainant ? { ...c.complainant } : c.complainant,
  };
  const walk = (path: string, leaf: (obj: Record<string, unknown>, key: string) => void) => {
    const keys = path.split('.');
    let obj = out;
    for (const k of keys.slice(0, -1)) {
      if (typeof obj[k] !== 'object' || obj[k] === null) obj[k] = {};
      obj = obj[k] as Record<string, unknown>;
    }
    leaf(obj, keys[keys.length - 1]!);
  };
  for (const [k, v] of Object.entries(set)) walk(k, (o, key) => { o[key] = v; });
  for (const k of unset) walk(k, (o, key) => { delete o[key]; });
  return out as unknown as CaseLike;
}

/**
 * The counters half of a command, right after its case write. The worker's counters consumer applies
 * the same event again from the outbox (a no-op once done here), so a crash between the two writes,
 * or a failure here, only delays the counts.
 */
export async function countEvent(models: Models, event: CaseEvent, log?: { warn: (o: object, m: string) => void }): Promise<void> {
  if (!event.data.counts) return;
  try {
    await applyEventCounters(models, event, (id) => isConsumed(models, 'counters', id));
    await markConsumed(models, 'counters', event.id);
  } catch (err) {
    (log ?? console).warn({ event: event.id, err: (err as Error).message }, 'report counters left to the worker');
  }
}

/**
 * The write every command ends with: case fields, timeline entry and outbox event in ONE document
 * update (no transactions on FerretDB), then the counters and the queue. The event carries what the
 * change does to the report counters, computed from the case at the claimed version (so the events
 * of a case add up to exactly its place in the tables). Returns null when the guard no longer matched.
 */
export async function writeCaseChange(deps: DomainDeps, caseId: string, change: CaseChange): Promise<CaseDoc | null> {
  const cal = deps.sla?.calendar;
  markRelatedChange(change.event, [...Object.keys(change.set ?? {}), ...(change.unset ?? [])]);
  const updated = await updateCaseGuarded(deps.models, caseId, change.guard, (cur) => {
    const counts = countsChangeOf(cur as CaseLike, afterChange(cur, change.set, change.unset), cal);
    if (counts) change.event.data.counts = counts;
    else delete change.event.data.counts;
    const push: Record<string, unknown> = {
      timeline: { at: new Date(change.event.at), eventId: change.event.id, ...change.entry },
      pendingEvents: toStored(change.event),
    };
    if (change.attachments?.length) push.attachments = { $each: change.attachments };
    const update: UpdateQuery<CaseDoc> = { $push: push };
    const unset = change.unset ?? [];
    update.$set = { ...change.set, hasOutbox: true };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [k, 1]));
    return update;
  });
  if (!updated) return null;
  await finishCaseWrite(deps, caseId, updated, change.event);
  return updated;
}

/**
 * Marks, before the write, an event whose change moves the case's entry in the related-complaints
 * index (shared/related/openIndex.ts): the flag is stored in the outbox with the event, so its
 * counters job (workers/events/reportCounters.ts) re-syncs the entry only for such events.
 */
export function markRelatedChange(event: CaseEvent, paths: string[]): void {
  if (touchesEntry(paths)) event.data.rel = true;
}

/**
 * What every case write ends with, once the case document is written: the related-complaints index
 * entry (for a marked event), then the inline counting, then the queuing of the event. If the entry
 * fails or the process dies first, the event's counters job is not yet marked done, and it syncs the
 * entry again from the case: late, never lost (a failed entry leaves the counting to that job too).
 */
export async function finishCaseWrite(deps: DomainDeps, caseId: string, updated: CaseDoc, event: CaseEvent, log?: { warn: (o: object, m: string) => void }): Promise<void> {
  let synced = true;
  if (event.data.rel) {
    try {
      await syncRelatedEntry(deps.models, caseId, updated);
    } catch (err) {
      synced = false;
      (log ?? console).warn({ caseId, err: (err as Error).message }, 'related index entry left to the worker');
    }
  }
  if (deps.countInline !== false && synced) await countEvent(deps.models, event);
  await publishEvents(deps.publish, [event]);
}
