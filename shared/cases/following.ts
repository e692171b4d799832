/**
 * Who follows which case, by LINE user: the lookup behind a follower's "my cases". The case's own
 * `followers` list is the truth (notify.ts sends by it); this collection only finds those cases
 * fast. FerretDB neither serves `followers.lineUserId` from an index nor answers `distinct` on a
 * path inside an array, while equality on a top-level field here is index-served on both engines.
 *
 * Written after the case (no transactions on FerretDB): a crash in between leaves a follower the
 * case lists but this does not; joining again (idempotent) writes it then. Whoever adds followers
 * (joinCase, a merge) calls `noteFollowing`; readers check the case still lists them.
 */
import { Schema, type Model } from 'mongoose';
import type { Models } from '../models/index.ts';

export interface Following { _id: string; lineUserId: string; caseId: string; at: Date }

const followingSchema = new Schema<Following>({
  /** `<lineUserId>:<caseId>`: one row per person and case, so writing it twice is harmless. */
  _id: String,
  lineUserId: { type: String, required: true },
  caseId: { type: String, required: true },
  at: { type: Date, required: true },
}, { versionKey: false });
followingSchema.index({ lineUserId: 1 });

export function followingModel(models: Pick<Models, 'conn'>): Model<Following> {
  return (models.conn.models.Following as Model<Following> | undefined) ?? models.conn.model<Following>('Following', followingSchema, 'followings');
}

export async function noteFollowing(models: Pick<Models, 'conn'>, lineUserId: string, caseId: string, at: Date): Promise<void> {
  await followingModel(models).updateOne({ _id: `${lineUserId}:${caseId}` }, { $setOnInsert: { lineUserId, caseId, at } }, { upsert: true });
}

export async function forgetFollowing(models: Pick<Models, 'conn'>, lineUserId: string, caseId?: string): Promise<void> {
  if (caseId) await followingModel(models).deleteOne({ _id: `${lineUserId}:${caseId}` });
  else await followingModel(models).deleteMany({ lineUserId });
}

/** The ids of the cases this person follows (per this lookup; check the case lists them). */
export async function followedCaseIds(models: Pick<Models, 'conn'>, lineUserId: string): Promise<string[]> {
  return (await followingModel(models).find({ lineUserId }, { caseId: 1 }).lean()).map((f) => f.caseId);
}
