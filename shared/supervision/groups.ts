/**
 * Unit LINE groups: a head invites the bot to the unit's group and links it with a
 * one-time code; the unit's SLA digests and nudges then also go to the group. Stored as one
 * document per group (`unit_groups`, `_id` = group id, indexed by unit) rather than an array on the
 * unit: a unique insert is atomic on FerretDB, a `$addToSet` on the unit is not.
 */
import { createHash, randomInt } from 'node:crypto';
import { Schema, type Model } from 'mongoose';
import type { Clock } from '../clock.ts';
import type { Models } from '../models/index.ts';

// No 0/O/1/I/L: codes are read aloud and typed on phones (as officer invites).
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const GROUP_CODE_PATTERN = /^(?:เชื่อมกลุ่ม|link\s*group)\s*([A-Za-z0-9-]{4,20})?\s*$/i;

type GroupCode = { codeHash: string; unitCode: string; createdBy: string; expiresAt: Date };
type GroupCodeUse = { _id: string; groupId: string; at: Date };
type UnitGroup = { _id: string; unitCode: string; linkedAt: Date; linkedBy?: string };

const codeSchema = new Schema<GroupCode>({
  codeHash: { type: String, required: true, unique: true },
  unitCode: { type: String, required: true },
  createdBy: { type: String, default: '' },
  expiresAt: { type: Date, required: true },
}, { versionKey: false });
/** The code's spending: `_id` = its hash, so one code links one group, atomically. */
const useSchema = new Schema<GroupCodeUse>({ _id: String, groupId: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
const unitGroupSchema = new Schema<UnitGroup>({
  _id: String,
  unitCode: { type: String, required: true },
  linkedAt: { type: Date, required: true },
  linkedBy: String,
}, { versionKey: false });
unitGroupSchema.index({ unitCode: 1 });

function model<T>(models: Models, name: string, schema: Schema<T>, collection: string): Model<T> {
  return (models.conn.models[name] as Model<T> | undefined) ?? models.conn.model<T>(name, schema, collection);
}
export const groupCodeModel = (m: Models) => model(m, 'GroupLinkCode', codeSchema, 'group_link_codes');
export const groupCodeUseModel = (m: Models) => model(m, 'GroupLinkCodeUse', useSchema, 'group_link_code_uses');
export const unitGroupModel = (m: Models) => model(m, 'UnitGroup', unitGroupSchema, 'unit_groups');

const hashCode = (code: string) => createHash('sha256').update(`group:${code.replace(/[\s-]/g, '').toUpperCase()}`).digest('hex');

/** A one-time code (e.g. "K7PM-2QXD") that links one LINE group to `unitCode`; only its hash is stored. */
export async function createGroupCode(models: Models, clock: Clock, props: { unitCode: string; createdBy?: string; validHours?: number }): Promise<{ code: string; expiresAt: Date }> {
  if (!(await models.Unit.exists({ _id: props.unitCode }))) throw new Error(`Unknown unit code "${props.unitCode}" (ไม่พบรหัสหน่วยงาน)`);
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = new Date(clock.now().getTime() + (props.validHours ?? 24) * 3600_000);
  await groupCodeModel(models).create({ codeHash: hashCode(code), unitCode: props.unitCode, createdBy: props.createdBy ?? '', expiresAt });
  return { code, expiresAt };
}

/**
 * `เชื่อมกลุ่ม <code>` in a group: spends the code (unique insert: one group per code, ever) and links
 * the group to the code's unit. A retried event for the same group finds its own spending and succeeds again.
 */
export async function linkGroup(models: Models, clock: Clock, props: { code: string; groupId: string; by?: string }): Promise<{ unitCode: string } | null> {
  const now = clock.now();
  const codeHash = hashCode(props.code);
  const code = await groupCodeModel(models).findOne({ codeHash }).lean();
  if (!code) return null;
  try {
    if (code.expiresAt <= now) return null;
    await groupCodeUseModel(models).create({ _id: codeHash, groupId: props.groupId, at: now });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const use = await groupCodeUseModel(models).findById(codeHash).lean();
    if (use?.groupId !== props.groupId) return null;
  }
  await unitGroupModel(models).updateOne(
    { _id: props.groupId },
    { $set: { unitCode: code.unitCode, linkedAt: now, linkedBy: props.by } },
    { upsert: true },
  );
  return { unitCode: code.unitCode };
}

/** The bot left (or was removed from) the group: nothing goes there any more. */
export async function unlinkGroup(models: Models, groupId: string): Promise<boolean> {
  return (await unitGroupModel(models).deleteOne({ _id: groupId })).deletedCount > 0;
}

export async function groupsOf(models: Models, unitCode: string): Promise<string[]> {
  return (await unitGroupModel(models).find({ unitCode }, { _id: 1 }).sort({ _id: 1 }).lean()).map((g) => String(g._id));
}

export async function unitOfGroup(models: Models, groupId: string): Promise<string | undefined> {
  return (await unitGroupModel(models).findById(groupId).lean())?.unitCode;
}
