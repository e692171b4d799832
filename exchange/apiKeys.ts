/**
 * Partner API keys: created by an admin (CLI), shown once, stored as a sha256 hash, scoped to a
 * unit (and the units under it), revocable. The key carries its own public id (`ak_…​.<secret>`),
 * so a request finds its record by `_id` (the one filter FerretDB pushes down) and compares hashes
 * in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { Models } from '../shared/models/index.ts';
import { exchangeModels, type ApiKeyDoc } from '../shared/partners/models.ts';

const KEY_FORMAT = /^(ak_[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
const LAST_USED_EVERY_MS = 60_000;

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

export interface CreatedApiKey {
  id: string;
  /** The only time the key exists outside the partner's hands. */
  key: string;
  name: string;
  unitCode: string;
}

export async function createApiKey(models: Models, props: { unitCode: string; name: string }): Promise<CreatedApiKey> {
  const name = props.name.trim();
  if (!name || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) throw new ApiKeyError('--name: 1–200 characters, no control characters / ชื่อหน่วยงานไม่ถูกต้อง');
  const unit = await models.Unit.findById(props.unitCode, { _id: 1 }).lean();
  if (!unit) throw new ApiKeyError(`--unit: no unit ${JSON.stringify(props.unitCode)} (e.g. 5001, 50, MOI) / ไม่พบหน่วยงาน`);
  const id = `ak_${randomBytes(6).toString('hex')}`;
  const key = `${id}.${randomBytes(32).toString('base64url')}`;
  await exchangeModels(models.conn).ApiKey.create({ _id: id, name, unitCode: props.unitCode, keyHash: sha256(key) });
  return { id, key, name, unitCode: props.unitCode };
}

export async function listApiKeys(models: Models): Promise<ApiKeyDoc[]> {
  return exchangeModels(models.conn).ApiKey.find({}, { keyHash: 0 }).sort({ createdAt: 1 }).lean<ApiKeyDoc[]>();
}

/** Revokes at once: the next request with the key is refused (keys are not cached). */
export async function revokeApiKey(models: Models, id: string, clock: Clock): Promise<boolean> {
  if (!/^ak_[0-9a-f]{12}$/.test(id)) return false;
  const r = await exchangeModels(models.conn).ApiKey.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: clock.now() } });
  return r.matchedCount === 1;
}

/** The live key record for a presented key, or null (unknown, wrong secret, revoked, malformed). */
export async function verifyApiKey(models: Models, presented: string, clock: Clock): Promise<ApiKeyDoc | null> {
  const m = KEY_FORMAT.exec(presented);
  if (!m) return null;
  const doc = await exchangeModels(models.conn).ApiKey.findById(m[1]).lean<ApiKeyDoc>();
  if (!doc || doc.revokedAt) return null;
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(doc.keyHash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  const now = clock.now();
  if (!doc.lastUsedAt || now.getTime() - new Date(doc.lastUsedAt).getTime() > LAST_USED_EVERY_MS) {
    // Best effort, not awaited by the caller's answer: a missed stamp costs nothing.
    exchangeModels(models.conn).ApiKey.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } }).catch(() => undefined);
  }
  return doc;
}
