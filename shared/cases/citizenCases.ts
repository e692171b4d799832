import type { CaseDoc, Models } from '../models/index.ts';
import { followedCaseIds } from './following.ts';

/**
 * A citizen's cases, newest first. FerretDB v1 drops a dotted field (`complainant.lineUserId`) from
 * what it hands its storage for `find`, so that filter reads every case; `distinct` does hand it over
 * (and the storage answers it from an index), so the ids come from there and each case is then read
 * by `_id`. A citizen has a handful of cases; on MongoDB both steps use indexes as well.
 */
export async function citizenCases<T = CaseDoc>(
  models: Models,
  lineUserId: string,
  projection: Record<string, 0 | 1>,
  limit: number,
): Promise<T[]> {
  const ids = await models.Case.distinct('_id', { 'complainant.lineUserId': lineUserId });
  const found = await Promise.all(ids.map((id) => models.Case.findById(id, { ...projection, ...(hasInclusion(projection) ? { createdAt: 1 } : {}) }).lean()));
  const cases = found.filter((c): c is NonNullable<typeof c> => c !== null) as unknown as (T & { createdAt?: Date; _id: unknown })[];
  cases.sort((a, b) => new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime() || String(b._id).localeCompare(String(a._id)));
  return cases.slice(0, limit);
}

const hasInclusion = (p: Record<string, 0 | 1>) => Object.values(p).some((v) => v === 1);

/**
 * The cases a citizen follows ("แจ้งด้วย", or their own case merged into another), newest first:
 * ids from the follow lookup (following.ts: FerretDB cannot index a path inside an array), then by `_id`.
 * What a follower may see of them is the public part only (liff/api/views.ts `toFollowerDetail`).
 */
export async function followedCases<T = CaseDoc>(
  models: Models,
  lineUserId: string,
  projection: Record<string, 0 | 1>,
  limit: number,
): Promise<T[]> {
  const ids = await followedCaseIds(models, lineUserId);
  const found = await Promise.all(ids.map((id) => models.Case.findById(id, { ...projection, ...(hasInclusion(projection) ? { createdAt: 1, followers: 1 } : {}) }).lean()));
  // The case's own list is the truth (the lookup is written after it, and cleared after an unfollow).
  const cases = found.filter((c): c is NonNullable<typeof c> => c !== null && (c.followers ?? []).some((f) => f.lineUserId === lineUserId)) as unknown as (T & { createdAt?: Date; _id: unknown })[];
  cases.sort((a, b) => new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime() || String(b._id).localeCompare(String(a._id)));
  return cases.slice(0, limit);
}
