import type { UpdateQuery } from 'mongoose';
import { OPEN_STATUSES } from '../categories.ts';
import type { CaseDoc } from '../models/index.ts';
import type { Actor } from './actor.ts';
import type { DomainDeps } from './commands/openCase.ts';
import type { CaseEvent } from './events.ts';
import { publishAndClear, toStored } from './publish.ts';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** What a command returns: the case after the change, or why nothing changed (and the case as it is, if known). */
export type CommandResult<Reason extends string> =
  | { ok: true; case: CaseDoc }
  | { ok: false; reason: Reason; case?: CaseDoc };

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

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
  attachments?: { fileId: string; contentType: string; size: number; addedAt: Date }[];
  event: CaseEvent;
}

/**
 * The write every command ends with: case fields, timeline entry and outbox event in ONE document
 * update (no transactions on FerretDB), then the event is queued and dropped from the outbox.
 * Returns null when the guard no longer matched.
 */
export async function writeCaseChange(deps: DomainDeps, caseId: string, change: CaseChange): Promise<CaseDoc | null> {
  const push: Record<string, unknown> = {
    timeline: { at: new Date(change.event.at), eventId: change.event.id, ...change.entry },
    pendingEvents: toStored(change.event),
  };
  if (change.attachments?.length) push.attachments = { $each: change.attachments };
  const update: UpdateQuery<CaseDoc> = { $push: push };
  if (change.set && Object.keys(change.set).length) update.$set = change.set;
  if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((k) => [k, 1]));
  const updated = await deps.models.Case.findOneAndUpdate({ _id: caseId, ...change.guard }, update, { returnDocument: 'after' }).lean<CaseDoc>();
  if (!updated) return null;
  await publishAndClear(deps.models, deps.publish, updated._id, [change.event]);
  return updated;
}
