/**
 * Sessions ended by "ออกจากระบบ": the cookie is deleted in that browser, but a copy of it (another
 * tab, a stolen cookie) must stop working too, so the session id is remembered until the cookie
 * would have expired anyway. Read by `_id` only (one indexed lookup per request, FerretDB included).
 */
import { Schema, type Model } from 'mongoose';
import type { Models } from '../shared/models/index.ts';
import { SESSION_TTL_MS } from './session.ts';

interface SignOut { _id: string; at: Date }

const signOutSchema = new Schema<SignOut>({ _id: String, at: { type: Date, required: true } }, { versionKey: false });

function model(models: Pick<Models, 'conn'>): Model<SignOut> {
  return (models.conn.models.DashboardSignOut as Model<SignOut> | undefined) ?? models.conn.model<SignOut>('DashboardSignOut', signOutSchema, 'dashboard_signouts');
}

export async function recordSignOut(models: Pick<Models, 'conn'>, sessionId: string, now: Date): Promise<void> {
  await model(models).updateOne({ _id: sessionId }, { $setOnInsert: { at: now } }, { upsert: true }).catch((err: { code?: number }) => {
    if (err.code !== 11000) throw err; // two sign-outs of one session at once: either insert is the record
  });
  // No TTL indexes on FerretDB: entries older than any session are dropped now and then.
  if (Math.random() < 0.05) await model(models).deleteMany({ at: { $lt: new Date(now.getTime() - SESSION_TTL_MS) } }).catch(() => undefined);
}

export async function isSignedOut(models: Pick<Models, 'conn'>, sessionId: string): Promise<boolean> {
  return (await model(models).findById(sessionId, { _id: 1 }).lean()) !== null;
}
