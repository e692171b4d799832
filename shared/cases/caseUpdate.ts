import { setTimeout as sleep } from 'node:timers/promises';
import type { UpdateQuery } from 'mongoose';
import type { CaseDoc, Models } from '../models/index.ts';
import type { Actor } from './actor.ts';
import type { DomainDeps } from './commands/openCase.ts';
import type { CaseEvent } from './events.ts';
import { publishEvents, toStored } from './publish.ts';
import { applyEventCounters, countsChangeOf, type CaseLike } from '../reports/counters.ts';
import { isConsumed, markConsumed } from './outbox.ts';

const OBJECT_ID = /^[0-9a-f]{24}$/;
/** A claim older than this belongs to a writer that died mid-way: the next generation may take over. */
const CLAIM_STALE_MS = 30_000;
const MAX_ATTEMPTS = 50;

/** What a command returns: the case after the change, or why nothing changed (and the case as it is, if known). */
export type CommandResult<Reason extends string> =
  | { ok: true; case: CaseDoc }
  | { ok: false; reason: Reason; case?: CaseDoc };

/** The case, or null for an unknown or malformed id (ids come from URLs and postbacks). */
export async function loadCase(deps: Pick<DomainDeps, 'models'>, caseId: string): Promise<CaseDoc | null> {
  if (typeof caseId !== 'string' || !OBJECT_ID.test(caseId)) return null;
  return deps.models.Case.findById(caseId).lean<CaseDoc>();
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number })?.code === 11000;
}

const pause = (attempt: number) => sleep(Math.min(40, 2 * (attempt + 1)) + Math.random() * 4);

/**
 * Claims the right to turn `version` into `version + 1`. The claim id is unique and a unique insert
 * is atomic on MongoDB and FerretDB alike, so each version is claimed once, ever (claims are kept,
 * so a writer that read an old version can never claim it again). A claim whose writer died before
 * writing is taken over, one generation further, once it is CLAIM_STALE_MS old.
 */
async function claimVersion(models: Models, caseId: string, version: number): Promise<boolean> {
  for (let gen = 0; gen < 8; gen++) {
    const id = `${caseId}:${version}:${gen}`;
    try {
      await models.CaseClaim.create({ _id: id, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Taken. Only a claim seen to exist and seen to be old counts as abandoned (FerretDB may briefly
    // show a read that misses a fresh insert: not finding it proves nothing).
    const held = await models.CaseClaim.findById(id).lean();
    if (!held || Date.now() - new Date(held.at).getTime() < CLAIM_STALE_MS) return false;
  }
  return false;
}

export interface GuardedUpdateOptions {
  /**
   * Write by `_id` alone once the version is claimed (only with an empty guard): on FerretDB every
   * other filter scans the whole collection, which bulk writers (the SLA runs) cannot afford.
   */
  byIdOnly?: boolean;
}

/**
 * A conditional update of one case that is atomic on FerretDB too. FerretDB v1 runs findAndModify
 * and update as read → modify → replace without a transaction, so two guarded updates of one case
 * at the same moment can both "succeed" and the later silently erase the earlier; a read may even
 * briefly miss a write that has just been committed. Here each write first claims the case's
 * current `version` (claimVersion), so the writes to one case happen one after another across all
 * processes; the update matches only that version (a stale read never matches) and bumps it. If the
 * guard does not hold, the version is still bumped so that the next writer can claim the next one.
 * On MongoDB the same code is merely a little slower.
 *
 * Returns the case after the update, or null when the case is gone, the guard does not hold, or it
 * stayed busy for too long.
 */
export async function updateCaseGuarded(
  models: Models,
  caseId: string,
  guard: Record<string, unknown>,
  /** The update, or a function computing it from the case at the claimed version (nothing else can change it meanwhile). */
  change: UpdateQuery<CaseDoc> | ((current: CaseDoc) => UpdateQuery<CaseDoc>),
  opts: GuardedUpdateOptions = {},
): Promise<CaseDoc | null> {
  if (Math.random() < 0.001) sweepOldClaims(models);
  const byId = opts.byIdOnly === true && Object.keys(guard).length === 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const cur = typeof change === 'function'
      ? await models.Case.findById(caseId).lean<CaseDoc>()
      : await models.Case.findById(caseId, { version: 1 }).lean<{ version?: number }>();
    if (!cur) return null;
    const version = cur.version ?? 0;
    const claimedAt = Date.now();
    if (!(await claimVersion(models, caseId, version))) {
      await pause(attempt);
      continue;
    }
    // This version is ours to write: nobody else can change the case until we bump it.
    const atVersion = cur.version === undefined ? { version: { $exists: false } } : { version };
    const update = typeof change === 'function' ? change(cur as CaseDoc) : change;
    // The claim already proves we are the one writer of `version` and our read of it came after it
    // was written (a stale read would have claimed an older version, which is taken); so the write
    // may select by `_id` alone, the only filter FerretDB answers from its primary key instead of a
    // scan of every case. Only while the claim is young: past CLAIM_STALE_MS another writer may take it over.
    if (byId && Date.now() - claimedAt < CLAIM_STALE_MS / 3) {
      const updated = await models.Case.findOneAndUpdate(
        { _id: caseId },
        { ...update, $inc: { ...(update.$inc ?? {}), version: 1 } },
        { returnDocument: 'after' },
      ).lean<CaseDoc>();
      if (updated) return updated;
      return null; // gone meanwhile
    }
    let guardFailures = 0;
    for (let i = 0; i < 40; i++) {
      const updated = await models.Case.findOneAndUpdate(
        { _id: caseId, ...atVersion, ...guard },
        { ...update, $inc: { ...(update.$inc ?? {}), version: 1 } },
        { returnDocument: 'after' },
      ).lean<CaseDoc>();
      if (updated) return updated;
      const now = await models.Case.findById(caseId, { version: 1 }).lean<{ version?: number }>();
      if (!now) return null;
      if ((now.version ?? 0) > version) return null; // taken over after CLAIM_STALE_MS: we were far too slow
      // At our version (not a stale read) and still no match, twice: the guard is false.
      if (now.version === cur.version && ++guardFailures >= 2) {
        await bumpVersion(models, caseId, atVersion);
        return null;
      }
      await pause(i);
    }
    return null;
  }
  return null;
}

/** Hands the claimed version on without changing anything else. */
async function bumpVersion(models: Models, caseId: string, atVersion: Record<string, unknown>): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await models.Case.findOneAndUpdate({ _id: caseId, ...atVersion }, { $inc: { version: 1 } }).lean()) return;
    await pause(i);
  }
}

/** Claims are kept for a day (long past any stale read), then dropped. */
function sweepOldClaims(models: Models): void {
  models.CaseClaim.deleteMany({ at: { $lt: new Date(Date.now() - 24 * 3600_000) } }).catch(() => undefined);
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
    update.$set = { ...change.set, hasOutbox: true };
    if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((k) => [k, 1]));
    return update;
  });
  if (!updated) return null;
  if (deps.countInline !== false) await countEvent(deps.models, change.event);
  await publishEvents(deps.publish, [change.event]);
  return updated;
}
