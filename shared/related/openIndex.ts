/**
 * The related-complaints index: one small document per OPEN case, holding only what the search
 * (search.ts) reads and scores — its place × problem keys (keys.ts), type, pin, subdistrict, date,
 * description, supporter count and units. FerretDB decodes a whole document before projecting, so
 * reading candidates from the cases themselves (timeline, attachments, everything) cost most of the
 * search's time; a few hundred bytes per candidate here keep it within its target. The case is the
 * truth; this is a copy of a part of it, on MongoDB and FerretDB alike (no transactions on FerretDB).
 *
 * Kept right:
 * - `openCase` and `writeCaseChange` write it right after the case write, before the event is queued
 *   (`syncRelatedEntry`): a case that closes leaves, a reopened one comes back, a change of type,
 *   supporters or description is copied;
 * - a crash between the case write and this one heals by itself: every domain event's counters job
 *   (workers/events/reportCounters.ts) re-reads the case and syncs its entry, and the event stays in
 *   the case's outbox until that job is done (the outbox sweep queues it again after a crash);
 * - each entry carries the case's `version`; an older copy never replaces a newer one;
 * - the migration (`rebuildRelatedIndex`, shared/infra/migrate.ts) adds the missing entries of open
 *   cases and drops those of cases no longer open.
 * The search also skips an entry whose status is not open, and a join or merge re-checks the case
 * itself, so a stale entry can at most offer a candidate that is then refused.
 */
import { Schema, type Model } from 'mongoose';
import { isOpenStatus, OPEN_STATUSES } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { relatedKeysFor } from './keys.ts';

export interface RelatedEntry {
  /** The case id (a string, so an entry is found by the same id as its case). */
  _id: string;
  /** The case's version this was copied at. */
  v: number;
  /** The place × problem keys of keys.ts, compacted (compactKey). */
  relKeys: string[];
  trackingNo: string;
  problemType?: string;
  category: string;
  status: string;
  receivedAt: Date;
  lat?: number;
  lng?: number;
  subdistrictCode?: string;
  subdistrictName?: string;
  districtName?: string;
  description: string;
  supporterCount: number;
  unitCode: string;
  concernedUnitCode?: string;
}

/**
 * As stored: the keys (the query's field) and everything else packed into ONE string, `d` (JSON of
 * the rest of the entry). FerretDB converts a document field by field on every read; one string
 * instead of some fifteen fields is a measurable part of a candidate's cost (docs/benchmarks.md).
 */
export interface StoredEntry { _id: string; v: number; relKeys: string[]; d: string }

const entrySchema = new Schema<StoredEntry>({
  _id: String,
  v: { type: Number, required: true },
  relKeys: { type: [String], required: true },
  d: { type: String, required: true },
}, { versionKey: false, autoIndex: false });
entrySchema.index({ relKeys: 1 });

export function relatedIndexModel(models: Pick<Models, 'conn'>): Model<StoredEntry> {
  return (models.conn.models.RelatedOpen as Model<StoredEntry> | undefined) ?? models.conn.model<StoredEntry>('RelatedOpen', entrySchema, 'related_open');
}

/** An entry as stored (see StoredEntry). */
export function packEntry(e: RelatedEntry): StoredEntry {
  const { _id, v, relKeys, ...rest } = e;
  return { _id, v, relKeys, d: JSON.stringify(rest) };
}

/** An entry as read back by the search (without its keys: the search does not read them). */
export function unpackEntry(s: Pick<StoredEntry, '_id' | 'd'>): Omit<RelatedEntry, 'relKeys' | 'v'> {
  const rest = JSON.parse(s.d) as Omit<RelatedEntry, '_id' | 'v' | 'relKeys' | 'receivedAt'> & { receivedAt: string };
  return { ...rest, _id: String(s._id), receivedAt: new Date(rest.receivedAt) };
}

/** The case fields an entry is made of (a projection for reading a case to sync). */
export const ENTRY_SOURCE_FIELDS = {
  version: 1, trackingNo: 1, problemType: 1, category: 1, status: 1, receivedAt: 1, createdAt: 1, description: 1, supporterCount: 1, unitCode: 1, concernedUnitCode: 1,
  'location.lat': 1, 'location.lng': 1, 'location.subdistrictCode': 1, 'location.subdistrictName': 1, 'location.districtName': 1,
} as const;

/** Changes of these case fields (or of anything under them) change its entry. */
const ENTRY_ROOTS = new Set(['status', 'problemType', 'category', 'receivedAt', 'description', 'supporterCount', 'unitCode', 'concernedUnitCode', 'location', 'trackingNo']);
export function touchesEntry(paths: string[]): boolean {
  return paths.some((p) => ENTRY_ROOTS.has(p.split('.')[0]!));
}

interface SourceCase {
  _id: unknown; trackingNo: string; category: string; status: string; description: string; unitCode: string;
  problemType?: string | null; receivedAt?: Date | null; createdAt?: Date; supporterCount?: number | null; concernedUnitCode?: string | null; version?: number | null;
  location?: { subdistrictCode?: string | null; subdistrictName?: string | null; districtName?: string | null; lat?: number | null; lng?: number | null } | null;
}

/**
 * A key as the index stores it: the 32-bit FNV-1a hash of the readable key (keys.ts), in base 36
 * (at most 7 characters instead of ~25). An entry carries some 40 keys and FerretDB decodes all of
 * them with every candidate it returns, so this is most of an entry's size. Two keys sharing a hash
 * cost nothing but an extra candidate read: the search checks type, distance and subdistrict of
 * every candidate itself.
 */
export function compactKey(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(36);
}

/** The entry a case should have, or null when it should have none (not open, or nowhere to find it). */
export function entryFor(c: SourceCase): RelatedEntry | null {
  if (!isOpenStatus(c.status)) return null;
  const loc = c.location ?? {};
  const relKeys = relatedKeysFor({ status: c.status, problemType: c.problemType, category: c.category, location: loc });
  if (!relKeys.length) return null;
  const e: RelatedEntry = {
    _id: String(c._id), v: c.version ?? 0, relKeys: [...new Set(relKeys.map(compactKey))], trackingNo: c.trackingNo, category: c.category, status: c.status,
    receivedAt: new Date(c.receivedAt ?? c.createdAt ?? 0), description: c.description ?? '', supporterCount: c.supporterCount ?? 1, unitCode: c.unitCode,
  };
  if (c.problemType) e.problemType = c.problemType;
  if (typeof loc.lat === 'number' && typeof loc.lng === 'number') { e.lat = loc.lat; e.lng = loc.lng; }
  if (loc.subdistrictCode) e.subdistrictCode = loc.subdistrictCode;
  if (loc.subdistrictName) e.subdistrictName = loc.subdistrictName;
  if (loc.districtName) e.districtName = loc.districtName;
  if (c.concernedUnitCode) e.concernedUnitCode = c.concernedUnitCode;
  return e;
}

/** Brings a case's entry in line with the case as given (the case as written, or as just read). */
export async function syncRelatedEntry(models: Pick<Models, 'conn'>, caseId: string, c: SourceCase | null): Promise<void> {
  const M = relatedIndexModel(models);
  const entry = c ? entryFor(c) : null;
  if (!entry) {
    await M.deleteOne({ _id: caseId });
    return;
  }
  try {
    // Only over an older copy: a slow writer holding an earlier version never undoes a newer one
    // (a newer entry makes the upsert collide on `_id`, which is then the answer).
    await M.replaceOne({ _id: caseId, v: { $lte: entry.v } }, packEntry(entry), { upsert: true });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}

/** Re-reads the case and syncs its entry (the outbox consumer's heal after a crash). */
export async function resyncRelatedEntry(models: Pick<Models, 'conn' | 'Case'>, caseId: string): Promise<void> {
  if (!/^[0-9a-f]{24}$/.test(caseId)) return;
  const c = await models.Case.findById(caseId, ENTRY_SOURCE_FIELDS).lean<SourceCase>();
  await syncRelatedEntry(models, caseId, c);
}

/**
 * The migration's rebuild: an entry for every open case that lacks one or holds an older version,
 * and none for a case no longer open. Reads the open cases by the indexed `status` equality.
 */
export async function rebuildRelatedIndex(models: Pick<Models, 'conn' | 'Case'>): Promise<{ written: number; dropped: number }> {
  const M = relatedIndexModel(models);
  const have = new Map<string, number>();
  for await (const e of M.find({}, { v: 1 }).lean().cursor()) have.set(String(e._id), e.v);
  let written = 0;
  const open = new Set<string>();
  for (const status of OPEN_STATUSES) {
    const cursor = models.Case.find({ status }, ENTRY_SOURCE_FIELDS).lean<SourceCase[]>().cursor({ batchSize: 1000 });
    for await (const c of cursor as AsyncIterable<SourceCase>) {
      const id = String(c._id);
      open.add(id);
      if (have.get(id) === (c.version ?? 0)) continue;
      await syncRelatedEntry(models, id, c);
      written++;
    }
  }
  let dropped = 0;
  for (const id of have.keys()) {
    if (open.has(id)) continue;
    await M.deleteOne({ _id: id });
    dropped++;
  }
  return { written, dropped };
}
