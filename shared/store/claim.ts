/**
 * "One writer per version": the primitive every exact write stands on. A claim is a unique insert
 * into `case_claims` (atomic on MongoDB and FerretDB alike, unlike FerretDB v1's conditional
 * updates), so each version of a document is claimed once, ever (claims are kept, so a writer that
 * read an old version can never claim it again). Whoever holds the claim of version v is the only
 * one who may turn v into v + 1. A claim whose writer died before writing is taken over, one
 * generation further, once it is CLAIM_STALE_MS old.
 *
 * MongoDB would not need the claim (a conditional findOneAndUpdate is atomic there); the same path
 * runs on both engines so that the one the tests exercise on FerretDB is the one production runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Models } from '../models/index.ts';

/** A claim older than this belongs to a writer that died mid-way: the next generation may take over. */
export const CLAIM_STALE_MS = 30_000;

/**
 * The claim's id: `<key>:<version>:<generation>`. A case's key is its id; a report counter
 * document's is `rc:<docId>`. The SLA runs insert generation-0 claims of cases in bulk with this id.
 */
export const claimId = (key: string, version: number, gen = 0) => `${key}:${version}:${gen}`;

export const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

/** A short, growing, jittered pause between attempts (keeps racing writers out of lockstep). */
export const pause = (attempt: number) => sleep(Math.min(40, 2 * (attempt + 1)) + Math.random() * 4);

/** Claims the right to turn `version` of `key` into `version + 1`; false when another writer holds it. */
export async function claimVersion(models: Pick<Models, 'CaseClaim'>, key: string, version: number): Promise<boolean> {
  for (let gen = 0; gen < 8; gen++) {
    const id = claimId(key, version, gen);
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

/**
 * "Done once" markers in the same collection: a unique insert that records that something happened
 * (e.g. a consumer is done with an event), and a lookup by `_id` (the one filter every engine answers
 * from an index). Dropped with the claims after a day (sweepOldClaims).
 */
/**
 * "Consumer X is done with event E" (shared/cases/outbox.ts). Its id format lives here, with the
 * claims', so that the report verifier can ask whether an event is counted without importing the
 * case domain.
 */
export const consumedMarkerId = (consumer: string, eventId: string) => `ev:${consumer}:${eventId}`;

export async function markOnce(models: Pick<Models, 'CaseClaim'>, id: string): Promise<void> {
  await models.CaseClaim.create({ _id: id, at: new Date() }).catch((err) => {
    if (!isDuplicateKey(err)) throw err;
  });
}

export async function isMarked(models: Pick<Models, 'CaseClaim'>, id: string): Promise<boolean> {
  return (await models.CaseClaim.findById(id, { _id: 1 }).lean()) !== null;
}

/** Claims are kept for a day (long past any stale read), then dropped. */
export function sweepOldClaims(models: Pick<Models, 'CaseClaim'>): void {
  models.CaseClaim.deleteMany({ at: { $lt: new Date(Date.now() - 24 * 3600_000) } }).catch(() => undefined);
}
