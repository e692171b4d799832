import { createHash, randomInt } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Models, OfficerDoc } from '../models/index.ts';

export type OfficerRole = 'officer' | 'head' | 'executive' | 'admin';
export const OFFICER_ROLES: OfficerRole[] = ['officer', 'head', 'executive', 'admin'];

// No 0/O/1/I/L: codes are read aloud and typed on phones.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function hashCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

/** Creates a one-time registration code (e.g. "K7PM-2QXD"), valid for `validDays`; only its hash is stored. */
export async function createOfficerInvite(models: Models, clock: Clock, props: { unitCode: string; role: OfficerRole; validDays?: number }): Promise<{ code: string; expiresAt: Date }> {
  const unit = await models.Unit.exists({ _id: props.unitCode });
  if (!unit) throw new Error(`Unknown unit code "${props.unitCode}" (ไม่พบรหัสหน่วยงาน)`);
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = new Date(clock.now().getTime() + (props.validDays ?? 7) * 86_400_000);
  await models.OfficerInvite.create({ codeHash: hashCode(code), unitCode: props.unitCode, role: props.role, expiresAt });
  return { code, expiresAt };
}

/**
 * `ลงทะเบียน <code>`: links this LINE account to the invite's unit and role. One code registers one person.
 */
export async function redeemOfficerInvite(models: Models, clock: Clock, props: { code: string; lineUserId: string; name: string }): Promise<OfficerDoc | null> {
  const now = clock.now();
  const codeHash = hashCode(props.code);
  const invite = await models.OfficerInvite.findOne({ codeHash, usedAt: null, expiresAt: { $gt: now } }).lean();
  if (!invite) return null;
  // Spend the code with a unique insert: atomic on MongoDB and FerretDB alike, whereas a conditional
  // update is read-modify-replace on FerretDB v1 and would let two people race in on one code.
  try {
    await models.conn.collection<{ _id: string; by: string; at: Date }>('officer_invite_claims').insertOne({ _id: codeHash, by: props.lineUserId, at: now });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return null;
    throw err;
  }
  await models.OfficerInvite.updateOne({ codeHash }, { $set: { usedAt: now, usedBy: props.lineUserId } });
  return models.Officer.findOneAndUpdate(
    { lineUserId: props.lineUserId },
    { $set: { unitCode: invite.unitCode, role: invite.role, name: props.name, active: true } },
    { upsert: true, returnDocument: 'after' },
  ).lean<OfficerDoc>();
}
