/**
 * The guarded update of a case: "one writer per version, and only while the guard holds". Every
 * change to an existing case goes through it (shared/cases/caseUpdate.ts writeCaseChange for the
 * commands; the outbox and the SLA runs directly).
 *
 * The MongoDB way would be one conditional `findOneAndUpdate({ _id, ...guard }, update)`, atomic
 * there. FerretDB v1 runs it as read → modify → replace, so two writers of one case at the same
 * moment could both "succeed" and the later erase the earlier. The same code path therefore runs on
 * both engines (claim.ts claims the version first); on MongoDB it is merely a little slower, and the
 * path the tests exercise on FerretDB is the one production runs.
 */
import type { UpdateQuery } from 'mongoose';
import type { CaseDoc, Models } from '../models/index.ts';
import { CLAIM_STALE_MS, claimVersion, pause, sweepOldClaims } from './claim.ts';

const MAX_ATTEMPTS = 50;

/** The guard "still the version I read" (a case written before versions has none). */
export function atVersionOf(c: { version?: number | null }): Record<string, unknown> {
  return c.version === undefined ? { version: { $exists: false } } : { version: c.version };
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
    const atVersion = atVersionOf(cur);
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
