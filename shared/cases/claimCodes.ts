import { createHash, randomInt } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Models } from '../models/index.ts';

// No 0/O/1/I/L: the code is read out on the phone and printed on the receipt.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const DAY_MS = 86_400_000;
/** Wrong codes against one case within a day before it locks (until an officer issues a new code). */
export const CASE_MAX_FAILURES = 5;

/** How long a claim code works, in days: CLAIM_CODE_VALID_DAYS, else 30. */
export function claimCodeValidDays(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.CLAIM_CODE_VALID_DAYS);
  return Number.isFinite(n) && n > 0 ? n : 30;
}

/** "abcd efgh", "ABCD-EFGH" and "abcdefgh" are one code. */
export function normaliseClaimCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

function hashCode(code: string): string {
  return createHash('sha256').update(normaliseClaimCode(code)).digest('hex');
}

/**
 * A new code for a case, shown once to the officer (only its hash is stored). Issuing again
 * replaces the previous code, which then stops working, and lifts a lock from wrong tries.
 */
export async function issueClaimCode(models: Models, clock: Clock, props: { caseId: string; unitCode: string; validDays?: number }): Promise<{ code: string; expiresAt: Date }> {
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (props.validDays ?? claimCodeValidDays()) * DAY_MS);
  await models.ClaimCode.replaceOne(
    { _id: props.caseId },
    { _id: props.caseId, codeHash: hashCode(code), unitCode: props.unitCode, expiresAt, usedAt: null, failures: 0, failuresSince: null, lockedAt: null, createdAt: now, updatedAt: now },
    { upsert: true },
  );
  return { code, expiresAt };
}

export type ClaimFailure = 'wrong' | 'expired' | 'used' | 'locked';

/**
 * Spends a code: the case it belongs to, or why not. With `caseId` (the citizen also gave the tracking
 * number) a wrong code counts against that case, and enough of them lock it; a code alone cannot be
 * pinned on a case, so it only counts against the LINE account (bot/handlers/linkCase.ts).
 */
export async function spendClaimCode(models: Models, clock: Clock, props: { code: string; caseId?: string }): Promise<{ ok: true; caseId: string } | { ok: false; reason: ClaimFailure }> {
  const now = clock.now();
  const codeHash = hashCode(props.code);
  const doc = props.caseId
    ? await models.ClaimCode.findById(props.caseId).lean()
    : await models.ClaimCode.findOne({ codeHash }).lean();
  if (!doc) return { ok: false, reason: 'wrong' };
  if (doc.lockedAt) return { ok: false, reason: 'locked' };
  if (doc.codeHash !== codeHash) {
    const fresh = doc.failuresSince && now.getTime() - new Date(doc.failuresSince).getTime() < DAY_MS;
    const failures = (fresh ? doc.failures ?? 0 : 0) + 1;
    const set = { failures, failuresSince: fresh ? doc.failuresSince : now, ...(failures >= CASE_MAX_FAILURES ? { lockedAt: now } : {}) };
    // Guarded on the code: a re-issue in between is not overwritten with the old count.
    await models.ClaimCode.updateOne({ _id: doc._id, codeHash: doc.codeHash }, { $set: set });
    return { ok: false, reason: failures >= CASE_MAX_FAILURES ? 'locked' : 'wrong' };
  }
  if (doc.usedAt) return { ok: false, reason: 'used' };
  if (new Date(doc.expiresAt).getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  // A unique insert spends it: atomic on MongoDB and FerretDB alike, so two people racing with one code link once.
  try {
    await models.ClaimCodeUse.create({ _id: codeHash, caseId: doc._id, at: now });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { ok: false, reason: 'used' };
    throw err;
  }
  await models.ClaimCode.updateOne({ _id: doc._id, codeHash }, { $set: { usedAt: now } });
  return { ok: true, caseId: String(doc._id) };
}
